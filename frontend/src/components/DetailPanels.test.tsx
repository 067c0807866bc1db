import { screen } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import { configureClientForTests, jsonResponse, renderWithProviders } from '@/test/render';

import { DetailPanels } from './DetailPanels';

function stubFetch(respond: (url: URL) => Response) {
  const fetchMock = vi.fn((request: Request) => Promise.resolve(respond(new URL(request.url))));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

const NOT_FOUND = { error: { code: 'not_found', message: 'Customer not found', details: null } };

describe('DetailPanels', () => {
  beforeAll(() => {
    configureClientForTests();
  });

  it('says a missing customer no longer exists, with no Retry that cannot help', async () => {
    const fetchMock = stubFetch(() => jsonResponse(404, NOT_FOUND));
    renderWithProviders(<DetailPanels />, { route: '/customers?customer=999999' });
    expect(await screen.findByText('This customer no longer exists')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('says a missing order no longer exists', async () => {
    stubFetch(() => jsonResponse(404, { error: { ...NOT_FOUND.error, message: 'Order not found' } }));
    renderWithProviders(<DetailPanels />, { route: '/orders?order=999999' });
    expect(await screen.findByText('This order no longer exists')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
  });

  it('still offers Retry when the server failed', async () => {
    stubFetch(() => jsonResponse(500, { error: { code: 'internal', message: 'Boom', details: null } }));
    renderWithProviders(<DetailPanels />, { route: '/customers?customer=12' });
    expect(await screen.findByRole('button', { name: 'Retry' })).toBeInTheDocument();
    expect(screen.getByText('Could not load the customer')).toBeInTheDocument();
  });
});
