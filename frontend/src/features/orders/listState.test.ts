import { describe, expect, it } from 'vitest';

import { applyListPatch } from '@/lib/listState';

import { dateRangeError, parseOrderListState, serializeOrderListState, toOrdersQuery } from './listState';
import type { OrderListState } from './listState';

const parse = (qs: string) => parseOrderListState(new URLSearchParams(qs));

const FULL: OrderListState = {
  status: 'shipped',
  number: 'SO-10',
  q: 'olivia',
  placedFrom: '2026-01-01',
  placedTo: '2026-03-31',
  customerId: 12,
  sort: 'total_amount',
  dir: 'asc',
  limit: 10,
  cursor: 'abc',
  page: 2,
};

describe('orders URL state', () => {
  it('round-trips every field', () => {
    expect(parse(serializeOrderListState(FULL).toString())).toEqual(FULL);
  });

  it('drops invalid values', () => {
    expect(parse('status=lost&from=2026-02-31&customer_id=-3&sort=customer&dir=up&limit=7')).toEqual({
      status: undefined,
      number: '',
      q: '',
      placedFrom: undefined,
      placedTo: undefined,
      customerId: undefined,
      sort: 'placed_at',
      dir: 'desc',
      limit: 25,
      cursor: undefined,
      page: 1,
    });
  });

  it('maps to the API query', () => {
    expect(toOrdersQuery(FULL)).toEqual({
      status: 'shipped',
      order_number: 'SO-10',
      q: 'olivia',
      placed_from: '2026-01-01',
      placed_to: '2026-03-31',
      customer_id: 12,
      sort: 'total_amount',
      order: 'asc',
      limit: 10,
      cursor: 'abc',
    });
  });

  it('switching the status tab drops the cursor', () => {
    const next = applyListPatch(FULL, { status: 'delivered' });
    expect(next).toMatchObject({ status: 'delivered', cursor: undefined, page: 1 });
    expect(serializeOrderListState(next).get('cursor')).toBeNull();
  });

  it('checks the placed-date range', () => {
    expect(dateRangeError('2026-02-01', '2026-01-01')).toMatch(/after/);
    expect(dateRangeError('2026-01-01', '2026-01-01')).toBeNull();
    expect(dateRangeError(undefined, '2026-01-01')).toBeNull();
  });
});
