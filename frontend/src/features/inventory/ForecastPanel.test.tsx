import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { ForecastSummary } from '@/api/client';
import { renderWithProviders } from '@/test/render';

import { ForecastPanel } from './ForecastPanel';

const SUMMARY = {
  computed: true,
  refresh_seconds: 3600,
  method: 'tsb',
  method_label: 'TSB (Teunter-Syntetos-Babai)',
  baseline: 'naive',
  computed_at: '2026-11-30T07:00:00Z',
  took_ms: 1200,
  horizon_days: 30,
  history_days: 365,
  min_history_days: 56,
  service_level: 0.95,
  review_days: 30,
  holdout_first_day: '2026-10-31',
  holdout_last_day: '2026-11-29',
  products: 300,
  forecasted: 290,
  not_enough_history: 10,
  backtested: 280,
  methods: [
    { method: 'tsb', label: 'TSB (Teunter-Syntetos-Babai)', wape: 0.481, bias: -0.052, products: 280, sold: 1000, forecast: 948 },
    { method: 'naive', label: 'Naive: the last 30 days repeat', wape: 0.614, bias: 0.031, products: 280, sold: 1000, forecast: 1031 },
  ],
  categories: [
    { category: 'Kitchen', wape: 0.4, bias: 0.1, naive_wape: 0.7, naive_bias: 0.2, products: 100, sold: 400, forecast: 440 },
  ],
  needs: [],
} satisfies ForecastSummary;

describe('ForecastPanel', () => {
  it('puts the forecast error next to the naive baseline', () => {
    renderWithProviders(<ForecastPanel summary={SUMMARY} />);
    expect(screen.getByText('Forecast error, last 30 days: 48% (naive 61%)')).toBeInTheDocument();
    expect(screen.getByText(/bias -5% \(naive \+3%/)).toBeInTheDocument();
    expect(screen.getByText(/280 products with enough history; 10/)).toBeInTheDocument();
    expect(screen.getByText(/a 95% chance of not running out/)).toBeInTheDocument();
  });

  it('says when nothing is computed yet', () => {
    renderWithProviders(<ForecastPanel summary={{ computed: false, refresh_seconds: 3600, methods: [], categories: [], needs: [] }} />);
    expect(screen.getByText(/not computed yet/)).toBeInTheDocument();
  });
});
