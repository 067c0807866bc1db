import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import type { CustomerOut } from '@/api/client';
import { configureClientForTests, jsonResponse, renderWithProviders } from '@/test/render';

import { CustomerFormModal } from './CustomerFormModal';

const CUSTOMER: CustomerOut = {
  id: 7,
  first_name: 'Harry',
  last_name: 'Adams',
  email: 'harry@example.net',
  phone: '+46750868977',
  status: 'active',
  tier: 'gold',
  total_spend: '1994.45',
  total_orders: 13,
  first_order_at: null,
  last_order_at: null,
  city: 'Göteborg',
  country: 'SE',
  email_consent: true,
  unsubscribed_at: null,
  erased_at: null,
  created_at: '2023-11-04T20:24:18Z',
  updated_at: '2023-11-04T20:24:18Z',
};

function stubFetch(response: () => Response) {
  const fetchMock = vi.fn((_request: Request) => Promise.resolve(response()));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function field(name: string) {
  return screen.getByLabelText(new RegExp(`^${name}`), { selector: 'input' });
}

describe('CustomerFormModal', () => {
  beforeAll(() => {
    configureClientForTests();
  });

  it('checks the fields like the API does, before sending anything', async () => {
    const fetchMock = stubFetch(() => jsonResponse(200, CUSTOMER));
    const user = userEvent.setup();
    renderWithProviders(<CustomerFormModal opened customer={null} onClose={vi.fn()} />);

    await user.type(field('Email'), 'not-an-email');
    await user.type(field('Phone'), '015123456789');
    await user.type(field('Country'), 'd1');
    await user.click(screen.getByRole('button', { name: 'Create customer' }));

    expect(await screen.findByText('Enter a first name')).toBeInTheDocument();
    expect(screen.getByText('Enter a last name')).toBeInTheDocument();
    expect(screen.getByText('Enter a valid email address')).toBeInTheDocument();
    expect(screen.getByText(/international format: \+ and country code/)).toBeInTheDocument();
    expect(screen.getByText(/two-letter country code/)).toBeInTheDocument();
    expect(field('Phone')).toHaveAttribute('aria-invalid', 'true');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('shows the API’s 409 under the email field, then saves once it is fixed', async () => {
    let answer = () =>
      jsonResponse(409, {
        error: {
          code: 'conflict',
          message: 'Another customer already has this email',
          details: [{ loc: ['body', 'email'], message: 'already used by another customer', type: 'conflict' }],
        },
      });
    const fetchMock = vi.fn((_request: Request) => Promise.resolve(answer()));
    vi.stubGlobal('fetch', fetchMock);
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<CustomerFormModal opened customer={CUSTOMER} onClose={onClose} />);

    await user.clear(field('Email'));
    await user.type(field('Email'), 'taken@example.net');
    await user.clear(field('Phone'));
    await user.type(field('Phone'), '+49 151 2345 6789');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('Already used by another customer')).toBeInTheDocument();
    expect(field('Email')).toHaveAttribute('aria-invalid', 'true');
    expect(onClose).not.toHaveBeenCalled();

    const request = fetchMock.mock.calls[0]?.[0];
    expect(request?.method).toBe('PUT');
    expect(request?.url).toMatch(/\/api\/customers\/7$/);
    expect(await request?.clone().json()).toEqual({
      first_name: 'Harry',
      last_name: 'Adams',
      email: 'taken@example.net',
      phone: '+4915123456789',
      status: 'active',
      city: 'Göteborg',
      country: 'SE',
      email_consent: true,
    });

    answer = () => jsonResponse(200, { ...CUSTOMER, email: 'harry.adams@example.net' });
    await user.clear(field('Email'));
    expect(screen.queryByText('Already used by another customer')).not.toBeInTheDocument();
    await user.type(field('Email'), 'harry.adams@example.net');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });
});
