import { describe, expect, it } from 'vitest';

import { formatDay } from '@/lib/format';

import {
  activeFilterCount,
  EMPTY_FILTERS,
  filterChips,
  parseCustomerListState,
  pickFilters,
  serializeCustomerListState,
  toCustomersQuery,
  validateFilters,
} from './listState';
import type { CustomerListState } from './listState';

const parse = (qs: string) => parseCustomerListState(new URLSearchParams(qs));

const FULL: CustomerListState = {
  q: 'ada',
  status: ['active', 'archived'],
  tier: ['gold'],
  spendMin: 100,
  spendMax: 2500.5,
  ordersMin: 1,
  ordersMax: 10,
  createdFrom: '2024-01-01',
  createdTo: '2024-12-31',
  lastOrderFrom: '2025-01-01',
  lastOrderTo: '2025-06-30',
  country: ['DE', 'US'],
  emailConsent: true,
  sort: 'total_spend',
  dir: 'asc',
  limit: 50,
  cursor: 'eyJzIjoi',
  page: 3,
};

describe('customers URL state', () => {
  it('round-trips every field through the query string', () => {
    const qs = serializeCustomerListState(FULL).toString();
    expect(parse(qs)).toEqual(FULL);
    expect(qs).toContain('status=active&status=archived');
    expect(qs).toContain('consent=yes');
  });

  it('gives the defaults for an empty query string and writes nothing for them', () => {
    const state = parse('');
    expect(state).toEqual({
      ...EMPTY_FILTERS,
      q: '',
      sort: 'created_at',
      dir: 'desc',
      limit: 25,
      cursor: undefined,
      page: 1,
    });
    expect(serializeCustomerListState(state).toString()).toBe('');
  });

  it('drops invalid values and keeps the valid ones', () => {
    const state = parse(
      'status=active&status=bogus&tier=diamond&tier=gold&spend_min=abc&spend_max=-5&orders_min=1.5' +
        '&created_from=2024-13-01&created_to=2024-02-30&country=de&country=USA&country=DE' +
        '&consent=maybe&sort=password&dir=sideways&limit=1000&page=7',
    );
    expect(state.status).toEqual(['active']);
    expect(state.tier).toEqual(['gold']);
    expect(state.spendMin).toBeUndefined();
    expect(state.spendMax).toBeUndefined();
    expect(state.ordersMin).toBeUndefined();
    expect(state.createdFrom).toBeUndefined();
    expect(state.createdTo).toBeUndefined();
    expect(state.country).toEqual(['DE']);
    expect(state.emailConsent).toBeUndefined();
    expect(state.sort).toBe('created_at');
    expect(state.dir).toBe('desc');
    expect(state.limit).toBe(25);
    expect(state.page).toBe(1); // no cursor: page 1 whatever the URL says
  });

  it('sorts by tier (the server orders tiers by their spend bands)', () => {
    const state = parse('sort=tier&dir=asc');
    expect(state.sort).toBe('tier');
    expect(toCustomersQuery(state).sort).toBe('tier');
  });

  it('reads consent=no as false and writes it back', () => {
    const state = parse('consent=no');
    expect(state.emailConsent).toBe(false);
    expect(serializeCustomerListState(state).toString()).toBe('consent=no');
  });

  it('builds the API query with only what is set', () => {
    expect(toCustomersQuery(parse(''))).toEqual({ sort: 'created_at', order: 'desc', limit: 25 });
    expect(toCustomersQuery(FULL)).toEqual({
      q: 'ada',
      status: ['active', 'archived'],
      tier: ['gold'],
      spend_min: 100,
      spend_max: 2500.5,
      orders_min: 1,
      orders_max: 10,
      created_from: '2024-01-01',
      created_to: '2024-12-31',
      last_order_from: '2025-01-01',
      last_order_to: '2025-06-30',
      country: ['DE', 'US'],
      email_consent: true,
      sort: 'total_spend',
      order: 'asc',
      limit: 50,
      cursor: 'eyJzIjoi',
    });
  });

  it('counts active filters (a range counts once)', () => {
    expect(activeFilterCount(EMPTY_FILTERS)).toBe(0);
    expect(activeFilterCount(pickFilters(FULL))).toBe(8);
    expect(activeFilterCount({ ...EMPTY_FILTERS, spendMax: 10, emailConsent: false })).toBe(2);
  });
});

describe('filter validation', () => {
  it('accepts open and well-ordered ranges', () => {
    expect(validateFilters(pickFilters(FULL))).toEqual({});
    expect(validateFilters({ ...EMPTY_FILTERS, spendMin: 5 })).toEqual({});
    expect(validateFilters({ ...EMPTY_FILTERS, ordersMin: 3, ordersMax: 3 })).toEqual({});
  });

  it('refuses min > max on every range, naming the max field', () => {
    const errors = validateFilters({
      ...EMPTY_FILTERS,
      spendMin: 500,
      spendMax: 100,
      ordersMin: 5,
      ordersMax: 2,
      createdFrom: '2024-05-01',
      createdTo: '2024-04-01',
      lastOrderFrom: '2025-02-01',
      lastOrderTo: '2025-01-31',
    });
    expect(Object.keys(errors).sort()).toEqual(['createdTo', 'lastOrderTo', 'ordersMax', 'spendMax']);
  });

  it('refuses a country that is not two letters', () => {
    expect(validateFilters({ ...EMPTY_FILTERS, country: ['DE', 'GER'] }).country).toMatch(/GER/);
  });
});

describe('filterChips', () => {
  it('has one removable chip per applied filter, each removing only itself', () => {
    const filters = {
      ...EMPTY_FILTERS,
      status: ['active', 'inactive'] as CustomerListState['status'],
      tier: ['gold'] as CustomerListState['tier'],
      spendMin: 100,
      spendMax: 500,
      ordersMin: 3,
      createdTo: '2024-06-30',
      lastOrderFrom: '2024-01-01',
      lastOrderTo: '2024-03-31',
      country: ['DE', 'FR'],
      emailConsent: false,
    };
    const chips = filterChips(filters);
    expect(chips.map((c) => c.label)).toEqual([
      'Status: Active, Inactive',
      'Tier: Gold',
      'Spend: $100.00 – $500.00',
      'Orders ≥ 3',
      `Created until ${formatDay('2024-06-30')}`,
      `Last order: ${formatDay('2024-01-01')} – ${formatDay('2024-03-31')}`,
      'Country: DE, FR',
      'No email consent',
    ]);
    expect(chips).toHaveLength(activeFilterCount(filters));
    for (const chip of chips) {
      const after = { ...filters, ...chip.clear };
      expect(activeFilterCount(after), chip.key).toBe(activeFilterCount(filters) - 1);
    }
  });

  it('has none without filters', () => {
    expect(filterChips(EMPTY_FILTERS)).toEqual([]);
  });
});
