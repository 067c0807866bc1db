import { describe, expect, it } from 'vitest';

import {
  csvExportHref,
  parseInventoryListState,
  priceRangeError,
  serializeInventoryListState,
  toInventoryQuery,
} from './listState';

describe('inventory list state', () => {
  it('reads filters from the URL and drops invalid values', () => {
    const state = parseInventoryListState(
      new URLSearchParams('q=mug&category=Home&category=Home&min_price=5&max_price=-1&stock_state=low&stock_state=bogus&sort=price&dir=desc'),
    );
    expect(state).toMatchObject({
      q: 'mug',
      categories: ['Home'],
      minPrice: 5,
      maxPrice: undefined,
      states: ['low'],
      sort: 'price',
      dir: 'desc',
      page: 1,
    });
  });

  it('round-trips through the URL', () => {
    const params = new URLSearchParams('q=lamp&category=Home&min_price=10&max_price=40&stock_state=out&sort=stock&dir=asc');
    const state = parseInventoryListState(params);
    expect(parseInventoryListState(serializeInventoryListState(state))).toEqual(state);
  });

  it('sends the filters to the API and to the CSV export alike', () => {
    const state = parseInventoryListState(new URLSearchParams('min_price=10&max_price=40&stock_state=low&category=Home'));
    expect(toInventoryQuery(state)).toMatchObject({ min_price: 10, max_price: 40, stock_state: ['low'], category: ['Home'] });
    expect(csvExportHref(state)).toBe('/api/inventory.csv?category=Home&min_price=10&max_price=40&stock_state=low');
    expect(csvExportHref(parseInventoryListState(new URLSearchParams()))).toBe('/api/inventory.csv');
  });

  it('carries the need levels to the list, the URL and the export', () => {
    const state = parseInventoryListState(new URLSearchParams('need=critical&need=bogus&need=high&sort=need&dir=desc'));
    expect(state.needs).toEqual(['critical', 'high']);
    expect(state.sort).toBe('need');
    expect(toInventoryQuery(state)).toMatchObject({ need: ['critical', 'high'], sort: 'need', order: 'desc' });
    expect(csvExportHref(state)).toBe('/api/inventory.csv?need=critical&need=high');
    expect(parseInventoryListState(serializeInventoryListState(state))).toEqual(state);
  });

  it('holds back an upside-down price range', () => {
    const state = parseInventoryListState(new URLSearchParams('min_price=50&max_price=10'));
    expect(priceRangeError(state.minPrice, state.maxPrice)).not.toBeNull();
    expect(toInventoryQuery(state).min_price).toBeUndefined();
    expect(csvExportHref(state)).toBe('/api/inventory.csv');
  });
});
