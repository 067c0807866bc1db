import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import { configureClientForTests, jsonResponse, renderWithProviders } from '@/test/render';

import { ChangePasswordModal } from './ChangePasswordModal';

function field(name: string) {
  return screen.getByLabelText(new RegExp(`^${name}`), { selector: 'input' });
}

function validationError(loc: string, message: string) {
  return jsonResponse(422, {
    error: {
      code: 'validation_error',
      message: `${loc}: ${message}`,
      details: [{ loc: ['body', loc], message, type: 'weak_password' }],
    },
  });
}

describe('ChangePasswordModal', () => {
  beforeAll(() => {
    configureClientForTests();
  });

  it('checks length and confirmation before sending anything', async () => {
    const fetchMock = vi.fn((_request: Request) => Promise.resolve(new Response(null, { status: 204 })));
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    renderWithProviders(<ChangePasswordModal opened onClose={vi.fn()} />);

    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('Enter your current password')).toBeInTheDocument();
    expect(screen.getByText('Enter a new password')).toBeInTheDocument();

    await user.type(field('New password'), 'short');
    await user.type(field('Confirm new password'), 'shorter');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('At least 10 characters')).toBeInTheDocument();
    expect(screen.getByText('The two passwords differ')).toBeInTheDocument();
    expect(field('Confirm new password')).toHaveAttribute('aria-invalid', 'true');
    expect(fetchMock).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Close change password' })).toBeInTheDocument();
  });

  it('shows why the server refused, under the field it names, then succeeds', async () => {
    const advice =
      'Too easy to guess. This is a top-100 common password. Add another word or two. Uncommon words are better.';
    const answers = [
      () => validationError('new_password', advice),
      () => validationError('current_password', 'This is not your current password.'),
    ];
    const fetchMock = vi.fn((_request: Request) =>
      Promise.resolve(answers.shift()?.() ?? new Response(null, { status: 204 })),
    );
    vi.stubGlobal('fetch', fetchMock);
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<ChangePasswordModal opened onClose={onClose} />);

    // A weak new password: zxcvbn's advice, as the server words it, under "New password".
    await user.type(field('Current password'), 'correct-horse-battery');
    await user.type(field('New password'), '1234567890');
    await user.type(field('Confirm new password'), '1234567890');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText(advice)).toBeInTheDocument();
    expect(field('New password')).toHaveAttribute('aria-invalid', 'true');
    expect(field('New password')).toHaveAccessibleDescription(expect.stringContaining(advice));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument(); // every detail found its field
    expect(onClose).not.toHaveBeenCalled();

    const first = fetchMock.mock.calls[0]?.[0];
    expect(first?.method).toBe('POST');
    expect(first?.url).toMatch(/\/api\/auth\/password$/);
    expect(await first?.clone().json()).toEqual({
      current_password: 'correct-horse-battery',
      new_password: '1234567890',
    });

    // Typing in the field clears its error; a wrong current password shows under "Current password".
    await user.clear(field('New password'));
    expect(screen.queryByText(advice)).not.toBeInTheDocument();
    await user.type(field('New password'), 'tulip-orbit-quarry-47');
    await user.clear(field('Confirm new password'));
    await user.type(field('Confirm new password'), 'tulip-orbit-quarry-47');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('This is not your current password.')).toBeInTheDocument();
    expect(field('Current password')).toHaveAttribute('aria-invalid', 'true');

    await user.clear(field('Current password'));
    await user.type(field('Current password'), 'correct-horse-battery-2');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(fetchMock).toHaveBeenCalledTimes(3);
    // Three rounds of typing: generous for a busy machine.
  }, 20_000);
});
