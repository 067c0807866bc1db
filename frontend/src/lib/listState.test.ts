import { describe, expect, it } from 'vitest';

import {
  applyListPatch,
  nextPagePatch,
  parseIsoDate,
  parseNonNegative,
  parsePaging,
  previousPagePatch,
} from './listState';
import type { Paging } from './listState';

type State = Paging & { q: string; status: string[]; sort: string };

const onPage3: State = { q: 'ada', status: ['active'], sort: 'name', limit: 25, cursor: 'c3', page: 3 };

describe('applyListPatch: the cursor only survives paging', () => {
  it('drops the cursor and goes to page 1 when the search changes', () => {
    expect(applyListPatch(onPage3, { q: 'bob' })).toEqual({ ...onPage3, q: 'bob', cursor: undefined, page: 1 });
  });

  it('drops the cursor when a filter changes', () => {
    const next = applyListPatch(onPage3, { status: ['active', 'archived'] });
    expect(next.cursor).toBeUndefined();
    expect(next.page).toBe(1);
    expect(next.status).toEqual(['active', 'archived']);
  });

  it('drops the cursor when the sort or the page size changes', () => {
    expect(applyListPatch(onPage3, { sort: 'email' })).toMatchObject({ cursor: undefined, page: 1 });
    expect(applyListPatch(onPage3, { limit: 50 })).toMatchObject({ cursor: undefined, page: 1, limit: 50 });
  });

  it('keeps the cursor when a patch sets the same values again (an equal array included)', () => {
    expect(applyListPatch(onPage3, { q: 'ada', status: ['active'] })).toEqual(onPage3);
  });

  it('moves pages with cursors and page numbers', () => {
    expect(applyListPatch(onPage3, nextPagePatch(onPage3, 'c4'))).toEqual({ ...onPage3, cursor: 'c4', page: 4 });
    expect(applyListPatch(onPage3, previousPagePatch(onPage3, 'p2'))).toEqual({ ...onPage3, cursor: 'p2', page: 2 });
  });

  it('goes back to the plain first page (no cursor) from page 2', () => {
    const page2 = { ...onPage3, cursor: 'c2', page: 2 };
    expect(previousPagePatch(page2, 'p1')).toEqual({ cursor: undefined, page: 1 });
  });
});

describe('query-string parsing', () => {
  it('accepts only real YYYY-MM-DD dates', () => {
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(parseIsoDate('2023-02-29')).toBeUndefined();
    expect(parseIsoDate('2024-2-1')).toBeUndefined();
    expect(parseIsoDate('yesterday')).toBeUndefined();
    expect(parseIsoDate(null)).toBeUndefined();
  });

  it('accepts non-negative numbers, integers when asked', () => {
    expect(parseNonNegative('12.5')).toBe(12.5);
    expect(parseNonNegative('-1')).toBeUndefined();
    expect(parseNonNegative('abc')).toBeUndefined();
    expect(parseNonNegative('')).toBeUndefined();
    expect(parseNonNegative('2.5', { integer: true })).toBeUndefined();
    expect(parseNonNegative('3', { integer: true })).toBe(3);
  });

  it('falls back to the default page size and ignores a page number without a cursor', () => {
    expect(parsePaging(new URLSearchParams('limit=33&page=4'))).toEqual({ limit: 25, cursor: undefined, page: 1 });
    expect(parsePaging(new URLSearchParams('limit=50&cursor=abc&page=4'))).toEqual({ limit: 50, cursor: 'abc', page: 4 });
    expect(parsePaging(new URLSearchParams('cursor=abc&page=-2'))).toEqual({ limit: 25, cursor: 'abc', page: 1 });
  });

  it('keeps a long signed cursor from the URL (names in non-Latin scripts make them long)', () => {
    const long = 'a'.repeat(1500) + '.mac';
    expect(parsePaging(new URLSearchParams(`cursor=${long}&page=2`))).toEqual({ limit: 25, cursor: long, page: 2 });
    expect(parsePaging(new URLSearchParams(`cursor=${'a'.repeat(2049)}`)).cursor).toBeUndefined();
  });
});
