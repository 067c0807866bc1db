import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';

import { theme } from '@/theme';

import type { SegmentOut } from './apiTypes';
import { SegmentCards, SegmentsTable } from './SegmentsTable';

const BASE: SegmentOut = {
  id: 1,
  name: 'Big spenders',
  description: null,
  rules: { combinator: 'and', not: false, rules: [] },
  member_count: 1234,
  counted_at: '2026-11-30T08:00:00Z',
  count_ms: 41,
  last_error: null,
  failed_at: null,
  created_at: '2026-11-29T08:00:00Z',
  updated_at: '2026-11-29T08:00:00Z',
};

const TIMEOUT = 'Counting took longer than the statement timeout (15 s) and was stopped; try narrower rules';

function renderBoth(segment: SegmentOut) {
  render(
    <MantineProvider theme={theme} env="test">
      <MemoryRouter>
        <SegmentsTable items={[segment]} loading={false} segmentHref={() => '?segment=1'} />
        <SegmentCards items={[segment]} loading={false} segmentHref={() => '?segment=1'} />
      </MemoryRouter>
    </MantineProvider>,
  );
  return screen.getAllByTestId('segment-row');
}

describe('SegmentsTable and SegmentCards', () => {
  it('show the members and when they were counted', () => {
    for (const row of renderBoth(BASE)) {
      expect(row).toHaveTextContent('1,234');
      expect(within(row).queryByTestId('segment-refresh-failed')).not.toBeInTheDocument();
    }
  });

  it('say a segment that never counted could not be counted, with the reason, instead of waiting', () => {
    const failed = { ...BASE, member_count: null, counted_at: null, count_ms: null, last_error: TIMEOUT, failed_at: '2026-11-30T08:05:00Z' };
    for (const row of renderBoth(failed)) {
      expect(row).toHaveTextContent('Could not count');
      expect(row).not.toHaveTextContent('Not counted yet');
      expect(within(row).getByTestId('segment-refresh-failed')).toHaveAttribute('title', TIMEOUT);
    }
  });

  it('keep the last good count beside a later failure', () => {
    const failed = { ...BASE, last_error: TIMEOUT, failed_at: '2026-11-30T08:05:00Z' };
    for (const row of renderBoth(failed)) {
      expect(row).toHaveTextContent('1,234');
      expect(within(row).getByTestId('segment-refresh-failed')).toHaveTextContent(/^Refresh failed /);
    }
  });
});
