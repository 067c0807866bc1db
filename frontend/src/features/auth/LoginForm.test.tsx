import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import { configureClientForTests, jsonResponse, renderWithProviders } from '@/test/render';

import { LoginForm } from './LoginForm';

const ADA = { id: 1, email: 'ada@example.com', full_name: 'Ada Admin', role: 'admin' };

function stubFetch(response: () => Response) {
  const fetchMock = vi.fn((_request: Request) => Promise.resolve(response()));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function firstRequest(fetchMock: ReturnType<typeof stubFetch>): Request {
  const request = fetchMock.mock.calls[0]?.[0];
  if (request === undefined) throw new Error('fetch was not called');
  return request;
}

async function fillAndSubmit(email: string, password: string) {
  const user = userEvent.setup();
  if (email) await user.type(screen.getByLabelText(/email/i, { selector: 'input' }), email);
  if (password) await user.type(screen.getByLabelText(/password/i, { selector: 'input' }), password);
  await user.click(screen.getByRole('button', { name: /log in/i }));
}

describe('LoginForm', () => {
  beforeAll(() => {
    configureClientForTests();
  });

  it('requires both fields and sends nothing', async () => {
    const fetchMock = stubFetch(() => jsonResponse(200, {}));
    renderWithProviders(<LoginForm onSuccess={vi.fn()} />);

    await fillAndSubmit('', '');

    expect(await screen.findByText('Enter your email')).toBeInTheDocument();
    expect(screen.getByText('Enter your password')).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('refuses a malformed email', async () => {
    const fetchMock = stubFetch(() => jsonResponse(200, {}));
    renderWithProviders(<LoginForm onSuccess={vi.fn()} />);

    await fillAndSubmit('not-an-email', 'secret');

    expect(await screen.findByText('Enter a valid email address')).toBeInTheDocument();
    expect(screen.queryByText('Enter your password')).not.toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('posts the credentials and reports the logged-in user', async () => {
    const fetchMock = stubFetch(() => jsonResponse(200, { user: ADA, csrf_token: 'tok' }));
    const onSuccess = vi.fn();
    renderWithProviders(<LoginForm onSuccess={onSuccess} />);

    await fillAndSubmit('  ada@example.com ', 'e2e-Password-1');

    await waitFor(() => {
      expect(onSuccess).toHaveBeenCalledWith(ADA);
    });
    const request = firstRequest(fetchMock);
    expect(request.method).toBe('POST');
    expect(new URL(request.url).pathname).toBe('/api/auth/login');
    expect(await request.json()).toEqual({ email: 'ada@example.com', password: 'e2e-Password-1' });
  });

  it("shows the API's message on 401", async () => {
    stubFetch(() =>
      jsonResponse(401, {
        error: { code: 'invalid_credentials', message: 'Invalid email or password', details: null },
      }),
    );
    const onSuccess = vi.fn();
    renderWithProviders(<LoginForm onSuccess={onSuccess} />);

    await fillAndSubmit('ada@example.com', 'wrong');

    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid email or password');
    expect(onSuccess).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: /log in/i })).toBeEnabled();
  });

  it('shows the message and the Retry-After seconds on 429', async () => {
    stubFetch(() =>
      jsonResponse(
        429,
        {
          error: {
            code: 'too_many_attempts',
            message: 'Too many failed login attempts.',
            details: null,
          },
        },
        { 'Retry-After': '42' },
      ),
    );
    renderWithProviders(<LoginForm onSuccess={vi.fn()} />);

    await fillAndSubmit('ada@example.com', 'wrong');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Too many failed login attempts.');
    expect(alert).toHaveTextContent('Try again in 42 seconds.');
  });

  it('shows a loading button while the request runs', async () => {
    let release: (response: Response) => void = () => undefined;
    vi.stubGlobal(
      'fetch',
      vi.fn(
        () =>
          new Promise<Response>((resolve) => {
            release = resolve;
          }),
      ),
    );
    renderWithProviders(<LoginForm onSuccess={vi.fn()} />);

    await fillAndSubmit('ada@example.com', 'secret');

    const button = screen.getByRole('button', { name: /log in/i });
    await waitFor(() => {
      expect(button).toHaveAttribute('data-loading', 'true');
    });
    release(jsonResponse(200, { user: ADA, csrf_token: 'tok' }));
    await waitFor(() => {
      expect(button).not.toHaveAttribute('data-loading');
    });
  });
});
