import { describe, expect, it } from 'vitest';

import { csvHref } from './csvHref';

describe('csvHref', () => {
  it('keeps the filters and the sort, drops the page', () => {
    expect(
      csvHref('/api/customers.csv', {
        sort: 'name',
        order: 'asc',
        limit: 25,
        cursor: 'abc.def',
        q: 'ann & co',
        status: ['active', 'archived'],
        email_consent: false,
        spend_min: 100,
        tier: [],
        country: undefined,
      }),
    ).toBe('/api/customers.csv?sort=name&order=asc&q=ann+%26+co&status=active&status=archived&email_consent=false&spend_min=100');
  });

  it('is the bare path without filters', () => {
    expect(csvHref('/api/orders.csv', { limit: 25 })).toBe('/api/orders.csv');
  });
});
