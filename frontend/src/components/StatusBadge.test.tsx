import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { renderWithProviders } from '@/test/render';

import { statusColor, STATUS_COLORS } from './statusColors';
import { StatusBadge } from './StatusBadge';

describe('StatusBadge colours', () => {
  it('gives every customer and order status its colour', () => {
    expect(STATUS_COLORS).toEqual({
      active: 'green',
      inactive: 'gray',
      archived: 'dark',
      pending: 'yellow',
      paid: 'blue',
      processing: 'indigo',
      shipped: 'cyan',
      delivered: 'green',
      cancelled: 'red',
      refunded: 'orange',
    });
  });

  it('keeps failure states apart from success states', () => {
    expect(statusColor('cancelled')).not.toBe(statusColor('delivered'));
    expect(statusColor('refunded')).not.toBe(statusColor('paid'));
    expect(statusColor('something-new')).toBe('gray');
  });

  it.each([
    ['delivered', 'Delivered', 'green'],
    ['cancelled', 'Cancelled', 'red'],
    ['archived', 'Archived', 'dark'],
  ] as const)('renders %s as "%s" in %s', (status, label, color) => {
    renderWithProviders(<StatusBadge status={status} />);
    const badge = screen.getByText(label).closest('[data-status]');
    expect(badge).toHaveAttribute('data-status', status);
    expect(badge?.getAttribute('style')).toContain(`--mantine-color-${color}`);
  });
});
