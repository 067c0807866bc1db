/**
 * The customers list as URL state: search, filters, sort, page size, cursor and page number.
 * Parsing drops invalid values; serialising leaves out defaults so that URLs stay short.
 */
import type { CustomersListQuery } from '@/api/queries/customers';
import type { CustomerSort, CustomerStatus, Tier } from '@/api/client';
import {
  appendAll,
  parseEnum,
  parseEnumList,
  parseIsoDate,
  parseNonNegative,
  parsePaging,
  setParam,
  writePaging,
} from '@/lib/listState';
import type { ListCodec } from '@/lib/useUrlListState';
import type { Paging, SortDirection } from '@/lib/listState';

export const CUSTOMER_STATUSES: readonly CustomerStatus[] = ['active', 'inactive', 'archived'];
export const TIERS: readonly Tier[] = ['bronze', 'silver', 'gold', 'platinum'];
export const CUSTOMER_SORTS: readonly CustomerSort[] = [
  'name',
  'email',
  'status',
  'country',
  'total_spend',
  'total_orders',
  'created_at',
  'last_order_at',
];
export const DEFAULT_SORT: CustomerSort = 'created_at';
export const DEFAULT_DIRECTION: SortDirection = 'desc';

const COUNTRY_RE = /^[A-Z]{2}$/;

export type CustomerFilters = {
  status: CustomerStatus[];
  tier: Tier[];
  spendMin: number | undefined;
  spendMax: number | undefined;
  ordersMin: number | undefined;
  ordersMax: number | undefined;
  createdFrom: string | undefined;
  createdTo: string | undefined;
  lastOrderFrom: string | undefined;
  lastOrderTo: string | undefined;
  country: string[];
  emailConsent: boolean | undefined;
};

export type CustomerListState = Paging &
  CustomerFilters & {
    q: string;
    sort: CustomerSort;
    dir: SortDirection;
  };

export const EMPTY_FILTERS: CustomerFilters = {
  status: [],
  tier: [],
  spendMin: undefined,
  spendMax: undefined,
  ordersMin: undefined,
  ordersMax: undefined,
  createdFrom: undefined,
  createdTo: undefined,
  lastOrderFrom: undefined,
  lastOrderTo: undefined,
  country: [],
  emailConsent: undefined,
};

function parseConsent(value: string | null): boolean | undefined {
  if (value === 'yes') return true;
  if (value === 'no') return false;
  return undefined;
}

export function parseCustomerListState(params: URLSearchParams): CustomerListState {
  const countries: string[] = [];
  for (const raw of params.getAll('country')) {
    const code = raw.trim().toUpperCase();
    if (COUNTRY_RE.test(code) && !countries.includes(code)) countries.push(code);
  }
  return {
    q: (params.get('q') ?? '').trim().slice(0, 100),
    status: parseEnumList(params.getAll('status'), CUSTOMER_STATUSES),
    tier: parseEnumList(params.getAll('tier'), TIERS),
    spendMin: parseNonNegative(params.get('spend_min')),
    spendMax: parseNonNegative(params.get('spend_max')),
    ordersMin: parseNonNegative(params.get('orders_min'), { integer: true }),
    ordersMax: parseNonNegative(params.get('orders_max'), { integer: true }),
    createdFrom: parseIsoDate(params.get('created_from')),
    createdTo: parseIsoDate(params.get('created_to')),
    lastOrderFrom: parseIsoDate(params.get('last_order_from')),
    lastOrderTo: parseIsoDate(params.get('last_order_to')),
    country: countries.slice(0, 50),
    emailConsent: parseConsent(params.get('consent')),
    sort: parseEnum(params.get('sort'), CUSTOMER_SORTS) ?? DEFAULT_SORT,
    dir: parseEnum(params.get('dir'), ['asc', 'desc'] as const) ?? DEFAULT_DIRECTION,
    ...parsePaging(params),
  };
}

export function serializeCustomerListState(state: CustomerListState): URLSearchParams {
  const params = new URLSearchParams();
  setParam(params, 'q', state.q.trim());
  appendAll(params, 'status', state.status);
  appendAll(params, 'tier', state.tier);
  setParam(params, 'spend_min', state.spendMin);
  setParam(params, 'spend_max', state.spendMax);
  setParam(params, 'orders_min', state.ordersMin);
  setParam(params, 'orders_max', state.ordersMax);
  setParam(params, 'created_from', state.createdFrom);
  setParam(params, 'created_to', state.createdTo);
  setParam(params, 'last_order_from', state.lastOrderFrom);
  setParam(params, 'last_order_to', state.lastOrderTo);
  appendAll(params, 'country', state.country);
  if (state.emailConsent !== undefined) params.set('consent', state.emailConsent ? 'yes' : 'no');
  if (state.sort !== DEFAULT_SORT || state.dir !== DEFAULT_DIRECTION) {
    params.set('sort', state.sort);
    params.set('dir', state.dir);
  }
  writePaging(params, state);
  return params;
}

export const customerListCodec: ListCodec<CustomerListState> = {
  parse: parseCustomerListState,
  serialize: serializeCustomerListState,
};

/** The `GET /api/customers` query for a state. */
export function toCustomersQuery(state: CustomerListState): CustomersListQuery {
  const query: CustomersListQuery = { sort: state.sort, order: state.dir, limit: state.limit };
  if (state.q !== '') query.q = state.q;
  if (state.status.length > 0) query.status = state.status;
  if (state.tier.length > 0) query.tier = state.tier;
  if (state.spendMin !== undefined) query.spend_min = state.spendMin;
  if (state.spendMax !== undefined) query.spend_max = state.spendMax;
  if (state.ordersMin !== undefined) query.orders_min = state.ordersMin;
  if (state.ordersMax !== undefined) query.orders_max = state.ordersMax;
  if (state.createdFrom !== undefined) query.created_from = state.createdFrom;
  if (state.createdTo !== undefined) query.created_to = state.createdTo;
  if (state.lastOrderFrom !== undefined) query.last_order_from = state.lastOrderFrom;
  if (state.lastOrderTo !== undefined) query.last_order_to = state.lastOrderTo;
  if (state.country.length > 0) query.country = state.country;
  if (state.emailConsent !== undefined) query.email_consent = state.emailConsent;
  if (state.cursor !== undefined) query.cursor = state.cursor;
  return query;
}

/** How many filters (not the search) are set: shown on the Filters button. */
export function activeFilterCount(filters: CustomerFilters): number {
  let n = 0;
  if (filters.status.length > 0) n++;
  if (filters.tier.length > 0) n++;
  if (filters.spendMin !== undefined || filters.spendMax !== undefined) n++;
  if (filters.ordersMin !== undefined || filters.ordersMax !== undefined) n++;
  if (filters.createdFrom !== undefined || filters.createdTo !== undefined) n++;
  if (filters.lastOrderFrom !== undefined || filters.lastOrderTo !== undefined) n++;
  if (filters.country.length > 0) n++;
  if (filters.emailConsent !== undefined) n++;
  return n;
}

export function pickFilters(state: CustomerFilters): CustomerFilters {
  return {
    status: state.status,
    tier: state.tier,
    spendMin: state.spendMin,
    spendMax: state.spendMax,
    ordersMin: state.ordersMin,
    ordersMax: state.ordersMax,
    createdFrom: state.createdFrom,
    createdTo: state.createdTo,
    lastOrderFrom: state.lastOrderFrom,
    lastOrderTo: state.lastOrderTo,
    country: state.country,
    emailConsent: state.emailConsent,
  };
}

export type FilterErrors = Partial<Record<keyof CustomerFilters, string>>;

/** Checks a filter draft before it is applied: every range must have min ≤ max. */
export function validateFilters(filters: CustomerFilters): FilterErrors {
  const errors: FilterErrors = {};
  const bad = (min: number | string | undefined, max: number | string | undefined) =>
    min !== undefined && max !== undefined && min > max;
  if (bad(filters.spendMin, filters.spendMax)) errors.spendMax = 'Must be at least the minimum spend';
  if (bad(filters.ordersMin, filters.ordersMax)) errors.ordersMax = 'Must be at least the minimum orders';
  if (bad(filters.createdFrom, filters.createdTo)) errors.createdTo = 'Must be on or after the start date';
  if (bad(filters.lastOrderFrom, filters.lastOrderTo)) errors.lastOrderTo = 'Must be on or after the start date';
  for (const code of filters.country) {
    if (!COUNTRY_RE.test(code)) errors.country = `"${code}" is not a two-letter country code`;
  }
  return errors;
}
