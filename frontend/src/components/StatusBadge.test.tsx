import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { renderWithProviders } from '@/test/render';

import { statusColor, STATUS_COLORS } from './statusColors';
import { StatusBadge } from './StatusBadge';

describe('StatusBadge colours', () => {
  it('gives every status but inactive a colour of its own kind, never the fallback grey', () => {
    const coloured = Object.entries(STATUS_COLORS).filter(([status]) => status !== 'inactive');
    expect(coloured.length).toBeGreaterThan(0);
    for (const [status, color] of coloured) {
      expect(color, status).not.toBe('gray');
    }
  });

  it('keeps failure states apart from every other order state', () => {
    const others = ['pending', 'paid', 'processing', 'shipped', 'delivered'] as const;
    for (const failure of ['cancelled', 'refunded'] as const) {
      for (const other of others) {
        expect(statusColor(failure), `${failure} vs ${other}`).not.toBe(statusColor(other));
      }
    }
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
