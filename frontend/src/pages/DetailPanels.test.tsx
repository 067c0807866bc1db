import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import type { OrderDetails, UserOut } from '@/api/client';
import { CurrentUserContext } from '@/components/currentUser';
import { configureClientForTests, jsonResponse, renderWithProviders } from '@/test/render';

import { DetailPanels } from './DetailPanels';

function stubFetch(respond: (url: URL) => Response) {
  const fetchMock = vi.fn((request: Request) => Promise.resolve(respond(new URL(request.url))));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

const VIEWER: UserOut = { id: 2, email: 'viewer@example.com', full_name: 'Vic Viewer', role: 'viewer' };

const ORDER: OrderDetails = {
  id: 7,
  order_number: 'SO-1007',
  status: 'paid',
  placed_at: '2026-05-01T10:00:00Z',
  currency: 'USD',
  total_amount: '20.00',
  allowed_transitions: [],
  customer: {
    id: 12,
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: 'ada@example.com',
    phone: null,
    phone_display: null,
    total_orders: 1,
    total_spend: '20.00',
  },
  items: [
    { id: 1, product_id: 3, product_name: 'Pen', sku: 'PEN-1', quantity: 2, unit_price: '10.00', line_total: '20.00' },
  ],
  shipping: { name: null, address1: null, address2: null, postal_code: null, city: null, country: null },
  history: [],
};

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

  it('wires the order panel to the customer panel, which neither feature knows', async () => {
    stubFetch((url) =>
      url.pathname === '/api/orders/7'
        ? jsonResponse(200, ORDER)
        : jsonResponse(404, { error: { ...NOT_FOUND.error, message: 'Customer not found' } }),
    );
    renderWithProviders(
      <CurrentUserContext.Provider value={VIEWER}>
        <DetailPanels />
      </CurrentUserContext.Provider>,
      { route: '/orders?status=paid&order=7' },
    );
    const order = await screen.findByRole('dialog', { name: 'Order SO-1007' });
    const customer = within(order).getByRole('link', { name: 'Ada Lovelace' });
    // The link keeps the list's state and swaps the order panel for the customer's.
    expect(customer).toHaveAttribute('href', '/orders?status=paid&customer=12');
    await userEvent.click(customer);
    expect(await screen.findByText('This customer no longer exists')).toBeInTheDocument();
  });
});
