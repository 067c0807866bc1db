/**
 * The orders list as URL state: status tab, order-number lookup, customer search, date range,
 * customer, sort, page size, cursor and page number. Invalid values are dropped.
 */
import type { OrderSort, OrderStatus } from '@/api/client';
import type { OrdersListQuery } from '@/api/queries/orders';
import { parseEnum, parseIsoDate, parsePaging, parsePositiveInt, setParam, writePaging } from '@/lib/listState';
import type { Paging, SortDirection } from '@/lib/listState';
import type { ListCodec } from '@/lib/useUrlListState';

export const ORDER_STATUSES: readonly OrderStatus[] = [
  'pending',
  'paid',
  'processing',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
];
export const ORDER_SORTS: readonly OrderSort[] = ['placed_at', 'total_amount', 'order_number'];
export const DEFAULT_ORDER_SORT: OrderSort = 'placed_at';
export const DEFAULT_ORDER_DIRECTION: SortDirection = 'desc';

export type OrderListState = Paging & {
  /** The status tab; undefined = all. */
  status: OrderStatus | undefined;
  /** Order number prefix. */
  number: string;
  /** Customer name or email prefix. */
  q: string;
  placedFrom: string | undefined;
  placedTo: string | undefined;
  customerId: number | undefined;
  sort: OrderSort;
  dir: SortDirection;
};

export function parseOrderListState(params: URLSearchParams): OrderListState {
  return {
    status: parseEnum(params.get('status'), ORDER_STATUSES),
    number: (params.get('number') ?? '').trim().slice(0, 64),
    q: (params.get('q') ?? '').trim().slice(0, 100),
    placedFrom: parseIsoDate(params.get('from')),
    placedTo: parseIsoDate(params.get('to')),
    customerId: parsePositiveInt(params.get('customer_id')),
    sort: parseEnum(params.get('sort'), ORDER_SORTS) ?? DEFAULT_ORDER_SORT,
    dir: parseEnum(params.get('dir'), ['asc', 'desc'] as const) ?? DEFAULT_ORDER_DIRECTION,
    ...parsePaging(params),
  };
}

export function serializeOrderListState(state: OrderListState): URLSearchParams {
  const params = new URLSearchParams();
  setParam(params, 'status', state.status);
  setParam(params, 'number', state.number.trim());
  setParam(params, 'q', state.q.trim());
  setParam(params, 'from', state.placedFrom);
  setParam(params, 'to', state.placedTo);
  setParam(params, 'customer_id', state.customerId);
  if (state.sort !== DEFAULT_ORDER_SORT || state.dir !== DEFAULT_ORDER_DIRECTION) {
    params.set('sort', state.sort);
    params.set('dir', state.dir);
  }
  writePaging(params, state);
  return params;
}

export const orderListCodec: ListCodec<OrderListState> = {
  parse: parseOrderListState,
  serialize: serializeOrderListState,
};

export function toOrdersQuery(state: OrderListState): OrdersListQuery {
  const query: OrdersListQuery = { sort: state.sort, order: state.dir, limit: state.limit };
  if (state.status !== undefined) query.status = state.status;
  if (state.number !== '') query.order_number = state.number;
  if (state.q !== '') query.q = state.q;
  if (state.placedFrom !== undefined) query.placed_from = state.placedFrom;
  if (state.placedTo !== undefined) query.placed_to = state.placedTo;
  if (state.customerId !== undefined) query.customer_id = state.customerId;
  if (state.cursor !== undefined) query.cursor = state.cursor;
  return query;
}

/** The placed-date range is applied only when it is valid. */
export function dateRangeError(from: string | undefined, to: string | undefined): string | null {
  return from !== undefined && to !== undefined && from > to ? 'Must be on or after the start date' : null;
}
