import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

import { collectBrowserErrors } from './browserErrors';

// Users created by e2e/start-server.sh.
const ADMIN = { email: 'admin@example.com', password: 'e2e-Password-1', name: 'Ada Admin' };

/**
 * A 401 answer is part of the flow (not logged in yet, a wrong password), and Chromium logs every
 * 4xx/5xx response as a console error ("Failed to load resource"). Only those expected ones are
 * tolerated; any other console error fails the test.
 */
function unexpected(errors: string[]): string[] {
  return errors.filter(
    (e) =>
      !(
        e.includes('Failed to load resource: the server responded with a status of 401') &&
        /\/api\/auth\/(me|login)\b/.test(e)
      ),
  );
}

async function logIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

test('log in, stay logged in across a reload, log out', async ({ page }) => {
  const errors = collectBrowserErrors(page);

  // Not logged in: the app sends us to the login page.
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();

  // A deep link survives the detour through the login page.
  await page.goto('/customers?page=2');
  await expect(page).toHaveURL(/\/login\?next=%2Fcustomers%3Fpage%3D2$/);
  await page.goto('/login');

  // Wrong password: the API's message is shown and we stay on the login page.
  await logIn(page, ADMIN.email, 'not-the-password');
  await expect(page.getByRole('alert')).toContainText('Invalid email or password');
  await expect(page).toHaveURL(/\/login$/);

  // Right password: the app layout, with the user's name and role in the header.
  await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/$/);
  const header = page.getByRole('banner');
  await expect(header.getByText(ADMIN.name)).toBeVisible();
  await expect(header.getByTestId('current-user-role')).toHaveText(/admin/i);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Welcome, Ada' })).toBeVisible();

  // The session cookie keeps us logged in across a reload.
  await page.reload();
  await expect(header.getByText(ADMIN.name)).toBeVisible();
  await expect(page).toHaveURL(/\/$/);

  // Log out: back to the login page, and the app is closed again.
  await header.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();

  expect(unexpected(errors), 'browser console errors').toEqual([]);
});

test('after logging in, a deep link opens where the user was going', async ({ page }) => {
  const errors = collectBrowserErrors(page);

  await page.goto('/no-such-page');
  await expect(page).toHaveURL(/\/login\?next=%2Fno-such-page$/);
  await logIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/no-such-page$/);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();

  expect(unexpected(errors), 'browser console errors').toEqual([]);
});

test('an off-site next= is ignored', async ({ page }) => {
  await page.goto('/login?next=//evil.example.com/');
  await logIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL('/');
});
