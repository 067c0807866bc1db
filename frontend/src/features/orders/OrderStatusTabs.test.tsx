import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { renderWithProviders } from '@/test/render';

import { OrderStatusTabs } from './OrderStatusTabs';

const counts = {
  all: 364791,
  pending: 268,
  paid: 255,
  processing: 474,
  shipped: 2554,
  delivered: 322695,
  cancelled: 9,
  refunded: 16902,
};

describe('OrderStatusTabs', () => {
  it('shows exact counts as they are, and above the cap as 10,000+', () => {
    const exact = Object.fromEntries(Object.keys(counts).map((k) => [k, k !== 'all' && k !== 'delivered']));
    renderWithProviders(<OrderStatusTabs value={undefined} counts={counts} exact={exact} onChange={vi.fn()} />);
    expect(screen.getByTestId('status-count-pending')).toHaveTextContent('268');
    expect(screen.getByTestId('status-count-pending')).not.toHaveAttribute('aria-label');
    expect(screen.getByTestId('status-count-all')).toHaveTextContent('10,000+');
    expect(screen.getByTestId('status-count-delivered')).toHaveTextContent('10,000+');
  });

  it('shows estimates as ~N with an accessible label saying so', () => {
    const exact = Object.fromEntries(Object.keys(counts).map((k) => [k, false]));
    renderWithProviders(<OrderStatusTabs value="pending" counts={counts} exact={exact} onChange={vi.fn()} />);
    const pending = screen.getByTestId('status-count-pending');
    expect(pending).toHaveTextContent('~270');
    expect(pending).toHaveAttribute('aria-label', 'about 270 (estimate)');
    expect(pending).toHaveAttribute('title', 'about 270 (estimate)');
    expect(screen.getByTestId('status-count-shipped')).toHaveTextContent('~2,600');
    expect(screen.getByTestId('status-count-cancelled')).toHaveTextContent('~9');
    expect(screen.getByTestId('status-count-all')).toHaveTextContent('10,000+');
    expect(screen.getByTestId('status-count-all')).not.toHaveAttribute('aria-label');
  });

  it('treats counts without flags as exact (an older answer)', () => {
    renderWithProviders(<OrderStatusTabs value={undefined} counts={counts} onChange={vi.fn()} />);
    expect(screen.getByTestId('status-count-shipped')).toHaveTextContent('2,554');
  });
});
