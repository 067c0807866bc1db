/**
 * State of a cursor-paginated list kept in the URL: helpers to parse query-string values
 * (invalid ones are dropped) and the rule that any change of the view (filters, search, sort,
 * page size) drops the cursor and goes back to page 1, since a cursor only works with the sort,
 * order and filters it came from.
 */

export type SortDirection = 'asc' | 'desc';

/** The paging part of every list state. `page` only feeds the "Showing x–y" text. */
export type Paging = {
  limit: number;
  cursor: string | undefined;
  page: number;
};

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;
const PAGING_KEYS: readonly string[] = ['cursor', 'page'];

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => item === b[i]);
  }
  return a === b;
}

/**
 * Applies `patch` to `prev`. When the patch changes anything but the cursor and the page number,
 * the cursor is dropped and the page goes back to 1.
 */
export function applyListPatch<S extends Paging>(prev: S, patch: Partial<S>): S {
  const changesView = Object.keys(patch).some(
    (key) => !PAGING_KEYS.includes(key) && !sameValue(prev[key as keyof S], patch[key as keyof S]),
  );
  const next = { ...prev, ...patch };
  return changesView ? { ...next, cursor: undefined, page: 1 } : next;
}

/** The patch that moves to the next page with the answer's `next_cursor`. */
export function nextPagePatch(state: Paging, nextCursor: string): Partial<Paging> {
  return { cursor: nextCursor, page: state.page + 1 };
}

/**
 * The patch that moves to the previous page with the answer's `prev_cursor`; page 1 is the plain
 * first page, without a cursor.
 */
export function previousPagePatch(state: Paging, prevCursor: string): Partial<Paging> {
  const page = state.page - 1;
  return page <= 1 ? { cursor: undefined, page: 1 } : { cursor: prevCursor, page };
}

// --- parsing query-string values: anything invalid becomes "not set" ---

export function parseEnum<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** Every valid value of a repeated parameter (`status=a&status=b`), without duplicates. */
export function parseEnumList<T extends string>(values: string[], allowed: readonly T[]): T[] {
  const out: T[] = [];
  for (const value of values) {
    const parsed = parseEnum(value, allowed);
    if (parsed !== undefined && !out.includes(parsed)) out.push(parsed);
  }
  return out;
}

/** A finite number ≥ 0 (money, counts); `integer` also refuses fractions. */
export function parseNonNegative(value: string | null, { integer = false } = {}): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) return undefined;
  if (integer && !Number.isInteger(n)) return undefined;
  return n;
}

export function parsePositiveInt(value: string | null): number | undefined {
  const n = parseNonNegative(value, { integer: true });
  return n !== undefined && n >= 1 && n <= Number.MAX_SAFE_INTEGER ? n : undefined;
}

/** A real calendar date written YYYY-MM-DD. */
export function parseIsoDate(value: string | null): string | undefined {
  if (value === null || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? value : undefined;
}

export function parsePageSize(value: string | null): number {
  const n = parsePositiveInt(value);
  return n !== undefined && (PAGE_SIZES as readonly number[]).includes(n) ? n : DEFAULT_PAGE_SIZE;
}

/** The API's `cursor` maxLength: a signed cursor over two long non-Latin names runs past 1,000 characters. */
const MAX_CURSOR_LENGTH = 2048;

export function parseCursor(value: string | null): string | undefined {
  return value !== null && value !== '' && value.length <= MAX_CURSOR_LENGTH ? value : undefined;
}

/** The paging fields; a page number without a cursor is meaningless, so it is 1 then. */
export function parsePaging(params: URLSearchParams): Paging {
  const cursor = parseCursor(params.get('cursor'));
  const page = cursor === undefined ? 1 : (parsePositiveInt(params.get('page')) ?? 1);
  return { limit: parsePageSize(params.get('limit')), cursor, page };
}

export function writePaging(params: URLSearchParams, paging: Paging): void {
  if (paging.limit !== DEFAULT_PAGE_SIZE) params.set('limit', String(paging.limit));
  if (paging.cursor !== undefined) {
    params.set('cursor', paging.cursor);
    if (paging.page > 1) params.set('page', String(paging.page));
  }
}

/** Sets `key` when `value` is set (not undefined / empty); numbers are written plainly. */
export function setParam(params: URLSearchParams, key: string, value: string | number | undefined): void {
  if (value === undefined || value === '') return;
  params.set(key, String(value));
}

export function appendAll(params: URLSearchParams, key: string, values: readonly string[]): void {
  for (const value of values) params.append(key, value);
}
