import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import { configureClientForTests, jsonResponse, renderWithProviders } from '@/test/render';

import type { SegmentChanges } from './apiTypes';
import { SegmentChangesView } from './SegmentChangesView';

const EMPTY = { since: null, joined: [], left: [], joined_total: 0, left_total: 0 };

function changes(countedAt: string | null, joiners: number): SegmentChanges {
  const joined = Array.from({ length: joiners }, (_, i) => ({
    customer_id: i + 1,
    first_name: 'Ann',
    last_name: `Number ${String(i + 1)}`,
    email: `ann${String(i + 1)}@example.com`,
    kind: 'joined' as const,
    at: countedAt ?? '2026-11-30T08:00:00Z',
  }));
  const set = { ...EMPTY, since: countedAt, joined, joined_total: joiners };
  return { counted_at: countedAt, last_refresh: set, recent: { ...set, since: '2026-11-29T09:00:00Z' } };
}

/** The view inside a page whose segment gets refreshed when the button is pressed. */
function Page() {
  const [countedAt, setCountedAt] = useState<string | null>(null);
  return (
    <>
      <button type="button" onClick={() => setCountedAt('2026-11-30T09:00:00Z')}>
        refreshed
      </button>
      <SegmentChangesView segmentId={7} countedAt={countedAt} customerHref={(id) => `/customers?customer=${String(id)}`} />
    </>
  );
}

describe('SegmentChangesView', () => {
  beforeAll(() => {
    configureClientForTests();
  });

  it('reads the lists again when the segment is refreshed, instead of keeping the first answer', async () => {
    const answers = [changes(null, 0), changes('2026-11-30T09:00:00Z', 3)];
    const fetchMock = vi.fn((_request: Request) => Promise.resolve(jsonResponse(200, answers.shift())));
    vi.stubGlobal('fetch', fetchMock);
    renderWithProviders(<Page />);
    expect(await screen.findByText('Last refresh: not refreshed yet')).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(1);

    // The segment's first refresh lands (the page learns it from the segment itself).
    await userEvent.click(screen.getByRole('button', { name: 'refreshed' }));
    expect(await screen.findByText(/^Last refresh \(/)).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(screen.getAllByText('Joined (3)')).toHaveLength(2);
    expect(screen.getAllByRole('link', { name: 'Ann Number 1' })).toHaveLength(2);
  });
});
