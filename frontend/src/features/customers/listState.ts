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
import { formatDay, formatInteger, formatMoney, humanize } from '@/lib/format';
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
  'tier',
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

export type CustomerFilterChip = {
  key: string;
  /** What the filter keeps, e.g. "Status: Active, Inactive". */
  label: string;
  /** The patch that removes this filter alone. */
  clear: Partial<CustomerFilters>;
};

function rangeLabel(
  name: string,
  min: string | undefined,
  max: string | undefined,
  [atLeast, atMost]: readonly [string, string] = ['≥', '≤'],
): string {
  if (min !== undefined && max !== undefined) return `${name}: ${min} – ${max}`;
  if (min !== undefined) return `${name} ${atLeast} ${min}`;
  return `${name} ${atMost} ${max ?? ''}`;
}

const DAY_WORDS = ['from', 'until'] as const;

/** The applied filters as removable chips, in the drawer's order (one chip per filter the count counts). */
export function filterChips(filters: CustomerFilters): CustomerFilterChip[] {
  const chips: CustomerFilterChip[] = [];
  const money = (n: number | undefined) => (n === undefined ? undefined : formatMoney(String(n)));
  const count = (n: number | undefined) => (n === undefined ? undefined : formatInteger(n));
  const day = (d: string | undefined) => (d === undefined ? undefined : formatDay(d));
  if (filters.status.length > 0) {
    chips.push({ key: 'status', label: `Status: ${filters.status.map(humanize).join(', ')}`, clear: { status: [] } });
  }
  if (filters.tier.length > 0) {
    chips.push({ key: 'tier', label: `Tier: ${filters.tier.map(humanize).join(', ')}`, clear: { tier: [] } });
  }
  if (filters.spendMin !== undefined || filters.spendMax !== undefined) {
    chips.push({
      key: 'spend',
      label: rangeLabel('Spend', money(filters.spendMin), money(filters.spendMax)),
      clear: { spendMin: undefined, spendMax: undefined },
    });
  }
  if (filters.ordersMin !== undefined || filters.ordersMax !== undefined) {
    chips.push({
      key: 'orders',
      label: rangeLabel('Orders', count(filters.ordersMin), count(filters.ordersMax)),
      clear: { ordersMin: undefined, ordersMax: undefined },
    });
  }
  if (filters.createdFrom !== undefined || filters.createdTo !== undefined) {
    chips.push({
      key: 'created',
      label: rangeLabel('Created', day(filters.createdFrom), day(filters.createdTo), DAY_WORDS),
      clear: { createdFrom: undefined, createdTo: undefined },
    });
  }
  if (filters.lastOrderFrom !== undefined || filters.lastOrderTo !== undefined) {
    chips.push({
      key: 'last-order',
      label: rangeLabel('Last order', day(filters.lastOrderFrom), day(filters.lastOrderTo), DAY_WORDS),
      clear: { lastOrderFrom: undefined, lastOrderTo: undefined },
    });
  }
  if (filters.country.length > 0) {
    chips.push({ key: 'country', label: `Country: ${filters.country.join(', ')}`, clear: { country: [] } });
  }
  if (filters.emailConsent !== undefined) {
    chips.push({
      key: 'consent',
      label: filters.emailConsent ? 'Email consent' : 'No email consent',
      clear: { emailConsent: undefined },
    });
  }
  return chips;
}
