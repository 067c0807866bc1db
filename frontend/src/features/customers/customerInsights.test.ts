import { describe, expect, it } from 'vitest';

import type { ChurnInsight, RfmInsight } from '@/api/client';
import { formatDate } from '@/lib/format';

import {
  calendarDaysBetween,
  nextOrderText,
  reconcileRfmAndChurn,
  rfmBasisWithCurrency,
  rfmScores,
} from './customerInsights';

const NOW = new Date(2026, 10, 29, 15, 0); // Nov 29, 2026, local time

function rfm(group: string, scores: [number, number, number] | null = [5, 5, 5]): RfmInsight {
  return {
    group,
    recency: scores?.[0] ?? null,
    frequency: scores?.[1] ?? null,
    monetary: scores?.[2] ?? null,
    basis: 'Last order 56 days ago, 64 orders, 12,345.60 spent, each ranked in fifths against 1,606 customers.',
  };
}
const churn = (level: ChurnInsight['level']): ChurnInsight => ({ level, basis: '' });

describe('nextOrderText', () => {
  it('says how overdue an expected date in the past is, instead of showing it as upcoming', () => {
    const expected = new Date(2026, 9, 4, 9, 30).toISOString(); // Oct 4
    expect(nextOrderText(expected, NOW)).toEqual({
      value: 'Overdue by 56 days',
      detail: `Was expected ${formatDate(expected)}`,
      overdue: true,
    });
    expect(nextOrderText(new Date(2026, 10, 28, 23, 0).toISOString(), NOW).value).toBe('Overdue by 1 day');
  });

  it('shows a date to come with how far off it is', () => {
    const expected = new Date(2026, 11, 9, 8, 0).toISOString();
    expect(nextOrderText(expected, NOW)).toEqual({ value: formatDate(expected), detail: 'In 10 days', overdue: false });
    expect(nextOrderText(new Date(2026, 10, 29, 1, 0).toISOString(), NOW).value).toBe('Today');
  });

  it('has nothing to say without a rhythm', () => {
    expect(nextOrderText(null, NOW)).toEqual({ value: '—', detail: null, overdue: false });
  });

  it('counts calendar days, not 24-hour spans', () => {
    expect(calendarDaysBetween(new Date(2026, 10, 28, 23, 59), new Date(2026, 10, 29, 0, 1))).toBe(1);
  });
});

describe('rfmBasisWithCurrency', () => {
  it('puts the currency on the amount spent', () => {
    expect(rfmBasisWithCurrency(rfm('Champions').basis)).toBe(
      'Last order 56 days ago, 64 orders, $12,345.60 spent, each ranked in fifths against 1,606 customers.',
    );
    expect(rfmBasisWithCurrency('Last order 3 days ago, 1 orders, 9.50 spent.', 'EUR')).toBe(
      'Last order 3 days ago, 1 orders, €9.50 spent.',
    );
  });

  it('leaves text without a bare amount alone', () => {
    const text = 'Scores need at least one order that was not cancelled or refunded.';
    expect(rfmBasisWithCurrency(text)).toBe(text);
    expect(rfmBasisWithCurrency('64 orders, $1.00 spent')).toBe('64 orders, $1.00 spent');
  });
});

describe('rfmScores', () => {
  it('lists the three scores the API returns', () => {
    expect(rfmScores(rfm('Loyal', [3, 4, 5]))).toEqual([
      { key: 'recency', label: 'Recency', score: 3 },
      { key: 'frequency', label: 'Frequency', score: 4 },
      { key: 'monetary', label: 'Monetary', score: 5 },
    ]);
    expect(rfmScores(rfm('No orders yet', null))).toEqual([]);
  });
});

describe('reconcileRfmAndChurn', () => {
  it('explains a Champion at high churn risk', () => {
    expect(
      reconcileRfmAndChurn({ rfm: rfm('Champions'), churn: churn('high'), daysSinceLastOrder: 56, typicalGapDays: 9 }),
    ).toBe(
      'Champion by past value, ranked against all customers; no order for 56 days, longer than usual ' +
        '(about every 9 days), hence the high churn risk.',
    );
  });

  it('stays quiet when the two agree', () => {
    const base = { daysSinceLastOrder: 56, typicalGapDays: 9 };
    expect(reconcileRfmAndChurn({ ...base, rfm: rfm('Champions'), churn: churn('low') })).toBeNull();
    expect(reconcileRfmAndChurn({ ...base, rfm: rfm('At risk'), churn: churn('high') })).toBeNull();
    expect(reconcileRfmAndChurn({ ...base, rfm: rfm('Champions'), churn: churn('unknown') })).toBeNull();
  });

  it('does without a usual gap (a single order)', () => {
    expect(
      reconcileRfmAndChurn({ rfm: rfm('New customers'), churn: churn('medium'), daysSinceLastOrder: 120, typicalGapDays: null }),
    ).toBe('New customer by past value, ranked against all customers; no order for 120 days, hence the medium churn risk.');
  });
});
