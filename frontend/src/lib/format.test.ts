import { describe, expect, it } from 'vitest';

import {
  estimateLabel,
  formatCount,
  formatDay,
  formatEstimate,
  formatLines,
  formatLinesAndUnits,
  formatMoney,
  formatTotal,
  humanize,
} from './format';

describe('formatMoney', () => {
  it('formats decimal strings in the given currency', () => {
    expect(formatMoney('12.50')).toBe('$12.50');
    expect(formatMoney('1994.45', 'USD')).toBe('$1,994.45');
    expect(formatMoney('0.00')).toBe('$0.00');
    expect(formatMoney('12.5', 'EUR')).toBe('€12.50');
    expect(formatMoney('1000', 'gbp')).toBe('£1,000.00');
    expect(formatMoney('-3.10')).toBe('-$3.10');
  });

  it('does not lose precision on large amounts (no float round trip)', () => {
    expect(formatMoney('12345678901234.56')).toBe('$12,345,678,901,234.56');
  });

  it('shows a dash for no amount and unknown input unchanged', () => {
    expect(formatMoney(null)).toBe('—');
    expect(formatMoney('')).toBe('—');
    expect(formatMoney('n/a')).toBe('n/a');
    expect(formatMoney('5.00', 'NOT-A-CODE')).toBe('5.00 NOT-A-CODE');
  });
});

describe('counts', () => {
  it('marks lower-bound totals and capped counts', () => {
    expect(formatTotal(2000)).toBe('2,000');
    expect(formatTotal(10000, false)).toBe('10,000+');
    expect(formatCount(10000)).toBe('10,000');
    expect(formatCount(10001)).toBe('10,000+');
    expect(formatCount(75)).toBe('75');
  });

  it('shows estimates as ~N, two significant figures, and says so', () => {
    expect(formatEstimate(268)).toBe('~270');
    expect(formatEstimate(1542)).toBe('~1,500');
    expect(formatEstimate(19)).toBe('~19');
    expect(formatEstimate(0)).toBe('~0');
    expect(formatEstimate(9960)).toBe('~10,000');
    expect(estimateLabel(1542)).toBe('about 1,500 (estimate)');
    expect(formatCount(268, false)).toBe('~270');
    expect(formatCount(268, true)).toBe('268');
    expect(formatCount(364791, false)).toBe('10,000+');
    expect(formatTotal(2554, false)).toBe('~2,600');
    expect(formatTotal(364791, false)).toBe('364,791+');
  });

  it('humanizes enum values', () => {
    expect(humanize('total_spend')).toBe('Total spend');
    expect(humanize('refunded')).toBe('Refunded');
  });
});

describe('formatLinesAndUnits', () => {
  it('names lines (products) and units (quantities) apart', () => {
    expect(formatLinesAndUnits([{ quantity: 2 }, { quantity: 1 }, { quantity: 2 }])).toBe('3 lines · 5 units');
    expect(formatLinesAndUnits([{ quantity: 1 }])).toBe('1 line · 1 unit');
    expect(formatLines(1200)).toBe('1,200 lines');
  });
});

describe('formatDay', () => {
  it('shows a YYYY-MM-DD bound as that same calendar day, in any time zone', () => {
    expect(formatDay('2024-01-01')).toBe(new Date(2024, 0, 1).toLocaleDateString(undefined, { dateStyle: 'medium' }));
    expect(formatDay('not a day')).toBe('not a day');
  });
});
