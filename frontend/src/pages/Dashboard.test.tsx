import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import type { Dashboard, UserOut } from '@/api/client';
import { CurrentUserContext } from '@/components/currentUser';
import { describeChange } from '@/features/dashboard/change';
import { configureClientForTests, jsonResponse, renderWithProviders } from '@/test/render';

import DashboardPage from './Dashboard';

const ADA: UserOut = { id: 1, email: 'ada@example.com', full_name: 'Ada Admin', role: 'admin' };

function figures(overrides: Partial<Dashboard> = {}): Dashboard {
  const zero = { value: 0, previous: 0, change_pct: null };
  return {
    period: '7d',
    date_from: '2026-11-24',
    date_to: '2026-11-30',
    previous_from: '2026-11-17',
    previous_to: '2026-11-23',
    timezone: 'UTC',
    sales: { value: '1250.00', previous: '1000.00', change_pct: 25 },
    orders: { value: 10, previous: 12, change_pct: -16.7 },
    average_order_value: { value: '125.00', previous: '83.33', change_pct: 50 },
    active_customers: zero,
    new_customers: zero,
    series: [{ day: '2026-11-30', sales: '1250.00', orders: 10 }],
    top_products: [{ product_id: 7, name: 'Teapot', sku: 'HOM-7', category: 'Home', units: 3, sales: '90.00' }],
    top_categories: [{ category: 'Home', units: 3, sales: '90.00' }],
    orders_by_status: { pending: 2, paid: 8, processing: 0, shipped: 0, delivered: 0, cancelled: 1, refunded: 0 },
    stock_alerts: 4,
    ...overrides,
  };
}

function serve(dashboards: Dashboard[], versions: string[]) {
  const calls: string[] = [];
  const fetchMock = vi.fn((request: Request) => {
    const url = new URL(request.url);
    calls.push(url.pathname + url.search);
    if (url.pathname === '/api/dashboard/version') {
      const version = versions.length > 1 ? versions.shift() : versions[0];
      if (request.headers.get('If-None-Match') === `"${version ?? ''}"`) return Promise.resolve(new Response(null, { status: 304 }));
      return Promise.resolve(jsonResponse(200, { version }, { ETag: `"${version ?? ''}"` }));
    }
    const next = dashboards.length > 1 ? dashboards.shift() : dashboards[0];
    return Promise.resolve(jsonResponse(200, next));
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

function renderPage(route = '/?period=7d') {
  return renderWithProviders(
    <CurrentUserContext.Provider value={ADA}>
      <DashboardPage />
    </CurrentUserContext.Provider>,
    { route },
  );
}

beforeAll(() => {
  configureClientForTests();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('change against the previous period', () => {
  it('carries the direction in a sign and an arrow, not in colour alone', () => {
    expect(describeChange(25)).toMatchObject({ text: '+25.0%', arrow: '▲', words: 'up' });
    expect(describeChange(-16.7)).toMatchObject({ text: '−16.7%', arrow: '▼', words: 'down' });
    expect(describeChange(0)).toMatchObject({ text: '0.0%', words: 'unchanged' });
    expect(describeChange(null)).toMatchObject({ text: 'new', arrow: '' });
  });
});

describe('DashboardPage', () => {
  it('shows the figures with their change, the top lists, the statuses and the stock alerts link', async () => {
    const calls = serve([figures()], ['1.1.2026-11-30']);
    renderPage();
    expect(await screen.findByTestId('metric-sales-value')).toHaveTextContent('$1,250.00');
    expect(screen.getByLabelText('up +25.0% against the previous period')).toBeInTheDocument();
    expect(screen.getByLabelText('down −16.7% against the previous period')).toBeInTheDocument();
    expect(screen.getByText('Teapot')).toBeInTheDocument();
    expect(screen.getByTestId('status-paid')).toHaveTextContent('8');
    expect(screen.getByRole('link', { name: /4 products low or out/ })).toHaveAttribute('href', '/inventory?stock=low');
    expect(calls).toContain('/api/dashboard?period=7d');
  });

  it('says so when the period has no orders', async () => {
    const none = { pending: 0, paid: 0, processing: 0, shipped: 0, delivered: 0, cancelled: 0, refunded: 0 };
    serve([figures({ orders_by_status: none, top_products: [], top_categories: [] })], ['0.0.2026-11-30']);
    renderPage();
    expect(await screen.findByTestId('dashboard-empty')).toHaveTextContent('No orders in this period yet');
  });

  it('shows the error with a retry', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() =>
        Promise.resolve(
          jsonResponse(422, { error: { code: 'validation_error', message: 'to: a period spans at most 366 days', details: [] } }),
        ),
      ),
    );
    renderPage('/?period=custom&from=2020-01-01&to=2026-01-01');
    expect(await screen.findByRole('alert')).toHaveTextContent('a period spans at most 366 days');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('refetches the figures only when the version token moves', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const calls = serve([figures(), figures({ sales: { value: '2000.00', previous: '1000.00', change_pct: 100 } })], [
      'a',
      'a',
      'b',
    ]);
    renderPage();
    expect(await screen.findByTestId('metric-sales-value')).toHaveTextContent('$1,250.00');
    const dashboards = () => calls.filter((c) => c.startsWith('/api/dashboard?')).length;
    expect(dashboards()).toBe(1);
    await vi.advanceTimersByTimeAsync(5_100); // token unchanged: a 304, no refetch
    expect(dashboards()).toBe(1);
    await vi.advanceTimersByTimeAsync(5_100); // token moved
    await waitFor(() => {
      expect(screen.getByTestId('metric-sales-value')).toHaveTextContent('$2,000.00');
    });
    expect(dashboards()).toBe(2);
  });
});
