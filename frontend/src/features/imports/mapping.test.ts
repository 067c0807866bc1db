import { describe, expect, it } from 'vitest';

import {
  blankToNull,
  duplicateColumns,
  joinWords,
  mappingForHeaders,
  mappingForPreset,
  missingRequired,
  normaliseHeader,
  startProblems,
} from './mapping';
import type { FieldInfo } from './mapping';

const FIELDS: FieldInfo[] = [
  { id: 'order_number', label: 'Order number', required: true },
  { id: 'customer_email', label: 'Customer email', required: true },
  { id: 'placed_at', label: 'Placed at', required: true },
  { id: 'total_amount', label: 'Total', required: false },
  { id: 'sku', label: 'SKU', required: false },
  { id: 'quantity', label: 'Quantity', required: false },
];

describe('required fields', () => {
  it('lists the required fields no column maps to, in catalogue order', () => {
    const mapping = { Name: null, Email: null, 'Created at': 'placed_at', 'Lineitem sku': 'sku' };
    expect(missingRequired(FIELDS, mapping).map((f) => f.id)).toEqual(['order_number', 'customer_email']);
    expect(missingRequired(FIELDS, { ...mapping, Name: 'order_number', Email: 'customer_email' })).toEqual([]);
  });
});

describe('duplicate columns', () => {
  it('names every later column that maps to a field an earlier one already maps to', () => {
    const headers = ['Email', 'Billing Email', 'Name', 'Contact Email'];
    const mapping = { Email: 'customer_email', 'Billing Email': 'customer_email', Name: 'order_number', 'Contact Email': 'customer_email' };
    expect([...duplicateColumns(headers, mapping)]).toEqual([
      ['Billing Email', 'Email'],
      ['Contact Email', 'Email'],
    ]);
    expect(duplicateColumns(headers, { Email: 'customer_email' }).size).toBe(0);
  });
});

describe('presets', () => {
  const headers = ['Order Number', 'customer_email', 'PLACED-AT', 'Notes'];
  const guess = { preset: 'orders_simple', mapping: { 'Order Number': 'order_number', customer_email: 'customer_email', 'PLACED-AT': 'placed_at', Notes: null } };

  it("gives the server's guess back for the preset it guessed", () => {
    expect(mappingForPreset('orders_simple', headers, FIELDS, guess)).toEqual(guess.mapping);
  });

  it('maps by field id or label for another preset, and leaves unknown columns out', () => {
    const mapping = mappingForPreset(null, ['Order number', 'customer_email', 'placed at', 'Notes', 'order_number'], FIELDS, guess);
    expect(mapping).toEqual({
      'Order number': 'order_number',
      customer_email: 'customer_email',
      'placed at': 'placed_at',
      Notes: null,
      // The field is taken by the first column already.
      order_number: null,
    });
  });

  it('normalises headers the way spreadsheets vary them', () => {
    expect(normaliseHeader('\uFEFFLineitem_SKU ')).toBe('lineitem sku');
    expect(normaliseHeader('Paid-at')).toBe('paid at');
  });

  it('keeps exactly the file’s headers in a mapping', () => {
    expect(mappingForHeaders(['a', 'b'], { a: 'sku', c: 'quantity' })).toEqual({ a: 'sku', b: null });
  });
});

describe('start problems', () => {
  const headers = ['number', 'email', 'date'];
  const mapping = { number: 'order_number', email: 'customer_email', date: 'placed_at' };

  it('is ready for orders_simple once a SKU is named', () => {
    expect(startProblems({ fields: FIELDS, headers, mapping, preset: 'orders_simple', productSku: '  ' })).toEqual([
      'Name the product SKU the order totals are booked against.',
    ]);
    expect(startProblems({ fields: FIELDS, headers, mapping, preset: 'orders_simple', productSku: 'HIST-1' })).toEqual([]);
  });

  it('names the missing required fields and the duplicate columns', () => {
    const problems = startProblems({
      fields: FIELDS,
      headers,
      mapping: { number: 'order_number', email: 'order_number', date: null },
      preset: 'shopify_orders',
      productSku: '',
    });
    expect(problems).toEqual([
      'Map a column to Customer email and Placed at (required).',
      'Two columns go to the same field: “email”.',
    ]);
  });

  it('asks for at least one column when nothing is mapped and nothing is required', () => {
    const optional = [{ id: 'phone', label: 'Phone', required: false }];
    expect(startProblems({ fields: optional, headers: ['x'], mapping: { x: null }, preset: null, productSku: '' })).toEqual([
      'Map at least one column.',
    ]);
  });
});

describe('words', () => {
  it('joins lists as a sentence does', () => {
    expect(joinWords([])).toBe('');
    expect(joinWords(['A'])).toBe('A');
    expect(joinWords(['A', 'B'])).toBe('A and B');
    expect(joinWords(['A', 'B', 'C'])).toBe('A, B and C');
  });

  it('trims a typed SKU and treats blank as none', () => {
    expect(blankToNull('  HIST-1 ')).toBe('HIST-1');
    expect(blankToNull('   ')).toBeNull();
  });
});
