import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import type { CustomerOut, UserOut } from '@/api/client';
import { CurrentUserContext } from '@/components/currentUser';
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

  describe('an email erased at the person\'s request', () => {
    const SUPPRESSED = () =>
      jsonResponse(409, {
        error: {
          code: 'conflict',
          message: 'This email belongs to a person whose data was erased at their request; it cannot be stored again',
          details: [{ loc: ['body', 'email'], message: "erased at the person's request", type: 'suppressed' }],
        },
      });

    async function fillAndCreate(user: ReturnType<typeof userEvent.setup>) {
      await user.type(field('First name'), 'Zoltana');
      await user.type(field('Last name'), 'Quixwell');
      await user.type(field('Email'), 'zoltana@example.org');
      await user.click(screen.getByRole('button', { name: 'Create customer' }));
    }

    it('lets an admin lift the suppression and save, in that order', async () => {
      const answers = [SUPPRESSED, () => new Response(null, { status: 204 }), () => jsonResponse(201, CUSTOMER)];
      const fetchMock = vi.fn((_request: Request) => Promise.resolve((answers.shift() ?? SUPPRESSED)()));
      vi.stubGlobal('fetch', fetchMock);
      const onClose = vi.fn();
      const user = userEvent.setup();
      const admin: UserOut = { id: 1, email: 'dpo@example.com', full_name: 'Dee', role: 'admin' };
      renderWithProviders(
        <CurrentUserContext.Provider value={admin}>
          <CustomerFormModal opened customer={null} onClose={onClose} />
        </CurrentUserContext.Provider>,
      );
      await fillAndCreate(user);
      expect(await screen.findByText("Erased at the person's request")).toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'They asked to come back: lift and save' }));
      await waitFor(() => expect(onClose).toHaveBeenCalled());

      const [first, liftCall, again] = fetchMock.mock.calls.map((c) => c[0]);
      expect(first?.url).toMatch(/\/api\/customers$/);
      expect(liftCall?.url).toMatch(/\/api\/customers\/suppressions\/lift$/);
      expect(await liftCall?.clone().json()).toEqual({ email: 'zoltana@example.org' });
      expect(again?.url).toMatch(/\/api\/customers$/);
      expect(again?.method).toBe('POST');
    });

    it('tells anyone else that only an admin can, with no button', async () => {
      stubFetch(SUPPRESSED);
      const user = userEvent.setup();
      const viewer: UserOut = { id: 2, email: 'm@example.com', full_name: 'Mo', role: 'marketer' };
      renderWithProviders(
        <CurrentUserContext.Provider value={viewer}>
          <CustomerFormModal opened customer={null} onClose={vi.fn()} />
        </CurrentUserContext.Provider>,
      );
      await fillAndCreate(user);
      expect(await screen.findByText(/Only an admin can let this email be stored again/)).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: /lift and save/ })).toBeNull();
    });
  });
});
