import { describe, expect, it } from 'vitest';

import { adjustmentErrors, productErrors } from './forms';

describe('stock adjustment form', () => {
  it('needs a positive whole number to receive and a reason', () => {
    expect(adjustmentErrors({ kind: 'received', amount: 0, reason: '' })).toEqual({
      amount: 'Receive at least 1 unit',
      reason: 'Say why (a delivery note, a stocktake)',
    });
    expect(adjustmentErrors({ kind: 'received', amount: 2.5, reason: 'x' })).toHaveProperty('amount');
    expect(adjustmentErrors({ kind: 'received', amount: 12, reason: 'PO 7' })).toEqual({});
  });

  it('accepts a count of zero but not below', () => {
    expect(adjustmentErrors({ kind: 'correction', amount: 0, reason: 'count' })).toEqual({});
    expect(adjustmentErrors({ kind: 'correction', amount: -1, reason: 'count' })).toHaveProperty('amount');
    expect(adjustmentErrors({ kind: 'correction', amount: '', reason: 'count' })).toHaveProperty('amount');
  });
});

describe('product form', () => {
  it('checks money and whole numbers', () => {
    expect(productErrors({ price: '12.50', cost: '', threshold: 5, leadDays: 14 })).toEqual({});
    expect(productErrors({ price: '12.505', cost: 'abc', threshold: -1, leadDays: 99999 })).toEqual({
      price: 'A price such as 12.50',
      cost: 'A cost such as 4.20, or empty',
      threshold: 'A whole number, 0 or more',
      leadDays: 'Days between 0 and 3650',
    });
  });
});
