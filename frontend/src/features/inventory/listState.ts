/**
 * The inventory list as URL state: search, categories, price range, stock states, need levels, sort, page size
 * and cursor. Invalid values are dropped. The CSV export link carries the same filters.
 */
import type { InventorySort, Need, StockState } from '@/api/client';
import type { InventoryListQuery } from '@/api/queries/inventory';
import { appendAll, parseEnum, parseEnumList, parseNonNegative, parsePaging, setParam, writePaging } from '@/lib/listState';
import type { Paging, SortDirection } from '@/lib/listState';
import type { ListCodec } from '@/lib/useUrlListState';

export const STOCK_STATES: readonly StockState[] = ['in_stock', 'low', 'out'];
export const STOCK_STATE_LABELS: Record<StockState, string> = { in_stock: 'In stock', low: 'Low', out: 'Out of stock' };
/** Most urgent first. */
export const NEED_LEVELS: readonly Need[] = ['critical', 'high', 'medium', 'low', 'none'];
export const NEED_LABELS: Record<Need, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', none: 'None' };
export const INVENTORY_SORTS: readonly InventorySort[] = ['name', 'sku', 'category', 'price', 'cost', 'stock', 'need', 'days_of_cover'];
export const DEFAULT_INVENTORY_SORT: InventorySort = 'name';
export const DEFAULT_INVENTORY_DIRECTION: SortDirection = 'asc';

export type InventoryListState = Paging & {
  q: string;
  categories: string[];
  minPrice: number | undefined;
  maxPrice: number | undefined;
  states: StockState[];
  needs: Need[];
  sort: InventorySort;
  dir: SortDirection;
};

export function parseInventoryListState(params: URLSearchParams): InventoryListState {
  const categories: string[] = [];
  for (const c of params.getAll('category')) {
    const value = c.trim().slice(0, 64);
    if (value !== '' && !categories.includes(value)) categories.push(value);
  }
  return {
    q: (params.get('q') ?? '').trim().slice(0, 100),
    categories,
    minPrice: parseNonNegative(params.get('min_price')),
    maxPrice: parseNonNegative(params.get('max_price')),
    states: parseEnumList(params.getAll('stock_state'), STOCK_STATES),
    needs: parseEnumList(params.getAll('need'), NEED_LEVELS),
    sort: parseEnum(params.get('sort'), INVENTORY_SORTS) ?? DEFAULT_INVENTORY_SORT,
    dir: parseEnum(params.get('dir'), ['asc', 'desc'] as const) ?? DEFAULT_INVENTORY_DIRECTION,
    ...parsePaging(params),
  };
}

/** The filters alone, as query parameters (the list's URL and the CSV export share them). */
export function filterParams(state: InventoryListState): URLSearchParams {
  const params = new URLSearchParams();
  setParam(params, 'q', state.q.trim());
  appendAll(params, 'category', state.categories);
  setParam(params, 'min_price', state.minPrice);
  setParam(params, 'max_price', state.maxPrice);
  appendAll(params, 'stock_state', state.states);
  appendAll(params, 'need', state.needs);
  return params;
}

export function serializeInventoryListState(state: InventoryListState): URLSearchParams {
  const params = filterParams(state);
  if (state.sort !== DEFAULT_INVENTORY_SORT || state.dir !== DEFAULT_INVENTORY_DIRECTION) {
    params.set('sort', state.sort);
    params.set('dir', state.dir);
  }
  writePaging(params, state);
  return params;
}

export const inventoryListCodec: ListCodec<InventoryListState> = {
  parse: parseInventoryListState,
  serialize: serializeInventoryListState,
};

/** A price range given upside down is not sent (the API would answer 422): the form shows the error. */
export function priceRangeError(min: number | undefined, max: number | undefined): string | null {
  return min !== undefined && max !== undefined && min > max ? 'Must be at least the minimum price' : null;
}

export function toInventoryQuery(state: InventoryListState): InventoryListQuery {
  const query: InventoryListQuery = { sort: state.sort, order: state.dir, limit: state.limit };
  if (state.q !== '') query.q = state.q;
  if (state.categories.length > 0) query.category = state.categories;
  if (priceRangeError(state.minPrice, state.maxPrice) === null) {
    if (state.minPrice !== undefined) query.min_price = state.minPrice;
    if (state.maxPrice !== undefined) query.max_price = state.maxPrice;
  }
  if (state.states.length > 0) query.stock_state = state.states;
  if (state.needs.length > 0) query.need = state.needs;
  if (state.cursor !== undefined) query.cursor = state.cursor;
  return query;
}

/** The CSV export of the whole filtered list (same filters, every page). */
export function csvExportHref(state: InventoryListState): string {
  const params = filterParams(state);
  if (priceRangeError(state.minPrice, state.maxPrice) !== null) {
    params.delete('min_price');
    params.delete('max_price');
  }
  const query = params.toString();
  return query === '' ? '/api/inventory.csv' : `/api/inventory.csv?${query}`;
}
