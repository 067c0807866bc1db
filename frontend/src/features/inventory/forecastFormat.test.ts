import { describe, expect, it } from 'vitest';

import type { ProductForecastOut } from '@/api/client';

import { backtestSentence, forecastChartData, formatCover, formatPercent, formatUnits } from './forecastFormat';

describe('forecast figures', () => {
  it('reads as a buyer reads them', () => {
    expect(formatCover(null)).toBe('—');
    expect(formatCover(12.9)).toBe('12 d');
    expect(formatCover(5000)).toBe('999+ d');
    expect(formatUnits(0.84)).toBe('0.8');
    expect(formatUnits(42.4)).toBe('42');
    expect(formatPercent(0.134)).toBe('13%');
    expect(formatPercent(0.04, { signed: true })).toBe('+4%');
    expect(formatPercent(-0.12, { signed: true })).toBe('-12%');
    expect(formatPercent(null)).toBe('—');
  });

  it('says a product\'s past error in one sentence', () => {
    expect(backtestSentence({ forecast: 42.2, sold: 37, error: 0.1405 }, 30)).toBe('last 30 days: forecast 42, sold 37, error 14%');
    expect(backtestSentence({ forecast: 1.5, sold: 0, error: null }, 30)).toBe('last 30 days: forecast 1.5, sold 0, nothing sold');
  });

  it('charts the held-out forecast over its days and the forecast ahead', () => {
    const sales = [
      { day: '2026-11-28', units: 1, revenue: '1.00' },
      { day: '2026-11-29', units: 3, revenue: '3.00' },
    ];
    const forecast = {
      daily_rate: 2,
      backtest: { first_day: '2026-11-29', last_day: '2026-11-29', forecast: 60, naive: 30, sold: 3, error: 19, naive_error: 9 },
    } as unknown as ProductForecastOut;
    const points = forecastChartData(sales, forecast);
    expect(points.slice(0, 3)).toEqual([
      { day: '2026-11-28', sold: 1 },
      { day: '2026-11-29', sold: 3, past: 2 },
      { day: '2026-11-30', forecast: 2 },
    ]);
    expect(points).toHaveLength(32);
    expect(points.at(-1)).toEqual({ day: '2026-12-29', forecast: 2 });
  });
});
