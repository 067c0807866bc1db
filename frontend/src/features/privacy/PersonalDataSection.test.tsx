import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import type { CustomerOut } from '@/api/client';
import { configureClientForTests, jsonResponse, renderWithProviders } from '@/test/render';

import { PersonalDataSection } from './PersonalDataSection';

const CUSTOMER: CustomerOut = {
  id: 41,
  first_name: 'Greta',
  last_name: 'Garbo',
  email: 'greta@example.com',
  phone: '+46701234567',
  status: 'active',
  tier: 'silver',
  total_spend: '250.00',
  total_orders: 2,
  first_order_at: '2026-01-01T10:00:00Z',
  last_order_at: '2026-02-01T10:00:00Z',
  city: 'Stockholm',
  country: 'SE',
  email_consent: true,
  unsubscribed_at: null,
  erased_at: null,
  created_at: '2025-11-04T20:24:18Z',
  updated_at: '2025-11-04T20:24:18Z',
};

describe('PersonalDataSection', () => {
  beforeAll(() => {
    configureClientForTests();
  });

  it('links the JSON download and erases only once the email is typed', async () => {
    const fetchMock = vi.fn((_request: Request) =>
      Promise.resolve(
        jsonResponse(200, {
          customer: { ...CUSTOMER, first_name: 'Erased', last_name: 'customer', erased_at: '2026-11-30T08:00:00Z' },
          already_erased: false,
          orders_anonymised: 2,
        }),
      ),
    );
    vi.stubGlobal('fetch', fetchMock);
    renderWithProviders(<PersonalDataSection customer={CUSTOMER} />);
    expect(screen.getByRole('link', { name: 'Download personal data' })).toHaveAttribute('href', '/api/customers/41/export');

    await userEvent.click(screen.getByRole('button', { name: 'Erase personal data' }));
    const modal = await screen.findByRole('dialog', { name: 'Erase Greta Garbo’s personal data?' });
    expect(within(modal).getByText(/shipping name and address/)).toBeInTheDocument();
    const erase = within(modal).getByRole('button', { name: 'Erase for good' });
    expect(erase).toBeDisabled();
    const input = within(modal).getByLabelText('Type the customer’s email to confirm');
    await userEvent.click(input);
    await userEvent.paste('greta@example.co');
    expect(erase).toBeDisabled();
    await userEvent.type(input, 'M');
    expect(erase).toBeEnabled();
    await userEvent.click(erase);

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const request = fetchMock.mock.calls[0]?.[0];
    expect(request?.method).toBe('POST');
    expect(new URL(request?.url ?? '').pathname).toBe('/api/customers/41/erase');
    expect(await request?.json()).toEqual({ confirm: 'greta@example.coM' });
  }, 15_000);

  it('offers no erasure for a customer erased before', () => {
    vi.stubGlobal('fetch', vi.fn());
    renderWithProviders(<PersonalDataSection customer={{ ...CUSTOMER, erased_at: '2026-11-30T08:00:00Z' }} />);
    expect(screen.queryByRole('button', { name: 'Erase personal data' })).not.toBeInTheDocument();
    expect(screen.getByText(/was erased at their request/)).toBeInTheDocument();
  });
});
