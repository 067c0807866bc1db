/** Field specs for the segment feature's unit tests: one of each kind the catalog has. */
import type { FieldSpec } from './fields';

const ORDERED = ['=', '!=', '<', '>', '<=', '>=', 'between', 'notBetween'].map((name) => ({ name, label: '' }));
const EQUALITY = ['=', '!=', 'in', 'notIn'].map((name) => ({ name, label: '' }));

export const TOTAL_SPEND: FieldSpec = {
  name: 'total_spend',
  label: 'Lifetime spend',
  kind: 'money',
  window: 'never',
  operators: ORDERED,
  choices: null,
  unit: null,
  help: 'Cancelled and refunded orders do not count',
  group: 'Orders',
};

export const TOTAL_ORDERS: FieldSpec = {
  ...TOTAL_SPEND,
  name: 'total_orders',
  label: 'Number of orders',
  kind: 'integer',
  unit: 'orders',
};

export const COUNTRY: FieldSpec = {
  name: 'country',
  label: 'Country',
  kind: 'choice',
  window: 'never',
  operators: [...EQUALITY, { name: 'null', label: '' }, { name: 'notNull', label: '' }],
  choices: [
    { value: 'DE', label: 'DE' },
    { value: 'FR', label: 'FR' },
    { value: 'US', label: 'US' },
  ],
  unit: null,
  help: null,
  group: 'Profile',
};

export const CITY: FieldSpec = {
  ...COUNTRY,
  name: 'city',
  label: 'City',
  kind: 'text',
  operators: ['=', '!=', 'contains', 'null'].map((name) => ({ name, label: '' })),
  choices: null,
};

export const LAST_ORDER: FieldSpec = {
  name: 'last_order_at',
  label: 'Last order',
  kind: 'date',
  window: 'never',
  operators: [...ORDERED, { name: 'inLastDays', label: '' }, { name: 'notInLastDays', label: '' }],
  choices: null,
  unit: null,
  help: null,
  group: 'Orders',
};

export const ORDERS_IN_LAST_DAYS: FieldSpec = {
  ...TOTAL_ORDERS,
  name: 'orders_in_last_days',
  label: 'Orders in the last N days',
  window: 'always',
  group: 'Behaviour',
};

export const BOUGHT_CATEGORY: FieldSpec = {
  name: 'bought_category',
  label: 'Bought in category',
  kind: 'choice',
  window: 'optional',
  operators: EQUALITY,
  choices: [
    { value: 'Shoes', label: 'Shoes' },
    { value: 'Books', label: 'Books' },
  ],
  unit: null,
  help: null,
  group: 'Behaviour',
};

export const EMAIL_CONSENT: FieldSpec = {
  name: 'email_consent',
  label: 'Email consent',
  kind: 'boolean',
  window: 'never',
  operators: ['=', '!='].map((name) => ({ name, label: '' })),
  choices: null,
  unit: null,
  help: null,
  group: 'Profile',
};

export const ALL_FIELDS: readonly FieldSpec[] = [
  COUNTRY,
  CITY,
  EMAIL_CONSENT,
  TOTAL_SPEND,
  TOTAL_ORDERS,
  LAST_ORDER,
  ORDERS_IN_LAST_DAYS,
  BOUGHT_CATEGORY,
];
