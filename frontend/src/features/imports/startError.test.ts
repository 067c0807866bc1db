import { describe, expect, it } from 'vitest';

import { ApiError } from '@/api/errors';

import { startErrorFrom } from './startError';

const HEADERS = ['Name', 'Email'];

function refused(details: unknown[]) {
  return new ApiError({ status: 422, code: 'validation_error', message: 'The mapping is incomplete', details });
}

describe('a refused start, put where it belongs', () => {
  it('puts a detail about a column next to it, one about the SKU on the SKU, and lists every detail', () => {
    const error = startErrorFrom(
      refused([
        { loc: ['body', 'mapping', 'Email'], message: 'not a field of orders', type: 'value_error' },
        { loc: ['body', 'options', 'product_sku'], msg: 'String should match pattern', type: 'string_pattern_mismatch' },
        { loc: ['body', 'mapping'], message: 'customer_email: required field not mapped', type: 'value_error' },
        { loc: ['body', 'mapping', 'Unknown header'], message: 'not in the file', type: 'value_error' },
      ]),
      HEADERS,
    );
    expect(error.message).toBe('The mapping is incomplete');
    expect(error.columns).toEqual({ Email: 'Not a field of orders' });
    expect(error.productSku).toBe('String should match pattern');
    expect(error.productName).toBeNull();
    expect(error.details).toEqual([
      'mapping › Email: not a field of orders',
      'options › product_sku: String should match pattern',
      'mapping: customer_email: required field not mapped',
      'mapping › Unknown header: not in the file',
    ]);
  });

  it('keeps the message of an error that is not the API’s', () => {
    expect(startErrorFrom(new Error('offline'), HEADERS)).toMatchObject({ message: 'offline', details: [] });
    expect(startErrorFrom(refused([]), HEADERS)).toMatchObject({ message: 'The mapping is incomplete', details: [] });
  });
});
