import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

import { collectBrowserErrors } from './browserErrors';

// The admin created by e2e/start-server.sh; every other user here is made by the test itself.
const ADMIN = { email: 'admin@example.com', password: 'e2e-Password-1' };

/**
 * Chromium logs every 4xx answer as a console error. Those the flow expects are tolerated: 401 from
 * login/me (a wrong password, logged out) and 422 from the password checks (a weak or wrong password).
 */
function unexpected(errors: string[]): string[] {
  return errors.filter(
    (e) =>
      !(
        (e.includes('status of 401') && /\/api\/auth\/(me|login)\b/.test(e)) ||
        (e.includes('status of 422') && /\/api\/(users|auth\/password)\b/.test(e))
      ),
  );
}

async function logIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

async function logOut(page: Page) {
  await page.getByRole('banner').getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
}

test('a user changes their password and logs in with it; an admin resets it', async ({ page }) => {
  // Nine logins and four password hashes at the production Argon2 cost: longer than one page's test.
  test.setTimeout(120_000);
  const errors = collectBrowserErrors(page);
  const stamp = Date.now().toString(36);
  const member = { name: 'Mia Member', email: `mia-${stamp}@example.com` };
  const first = `amber-canyon-${stamp}-41`;
  const second = `velvet-lantern-${stamp}-58`;
  const third = `cobalt-meadow-${stamp}-73`;

  // An admin creates the user from the Users page (the link is in their navigation).
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await page.getByRole('button', { name: 'New user' }).click();
  const create = page.getByRole('dialog', { name: 'New user' });
  await create.getByLabel('Full name').fill(member.name);
  await create.getByLabel('Email').fill(member.email);
  await create.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Viewer' }).click();
  // A trivial password: the server's advice shows under the field.
  await create.getByRole('textbox', { name: 'Password', exact: true }).fill('1234567890');
  await create.getByRole('textbox', { name: 'Confirm password' }).fill('1234567890');
  await create.getByRole('button', { name: 'Create user' }).click();
  await expect(create.getByText(/Too easy to guess\. This is a top-100 common password/)).toBeVisible();
  await create.getByRole('textbox', { name: 'Password', exact: true }).fill(first);
  await create.getByRole('textbox', { name: 'Confirm password' }).fill(first);
  await create.getByRole('button', { name: 'Create user' }).click();
  await expect(create).toBeHidden();
  await expect(page.getByTestId(`user-row-${member.email}`)).toContainText('Never');
  await logOut(page);

  // The user logs in, sees no Users page, and changes their password from the account menu.
  await logIn(page, member.email, first);
  await expect(page).toHaveURL(/\/$/);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Customers' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Change password' }).click();
  const change = page.getByRole('dialog', { name: 'Change password' });
  await change.getByRole('textbox', { name: 'Current password' }).fill('not-my-password');
  await change.getByRole('textbox', { name: 'New password', exact: true }).fill(second);
  await change.getByRole('textbox', { name: 'Confirm new password' }).fill(second);
  await change.getByRole('button', { name: 'Change password', exact: true }).click();
  await expect(change.getByText('This is not your current password.')).toBeVisible();
  await change.getByRole('textbox', { name: 'Current password' }).fill(first);
  await change.getByRole('button', { name: 'Change password', exact: true }).click();
  await expect(change).toBeHidden();
  await expect(page.getByText('Password changed. Your other sessions were logged out.')).toBeVisible();
  // Still logged in here.
  await page.reload();
  await expect(page.getByRole('banner').getByText(member.name)).toBeVisible();
  await logOut(page);

  await logIn(page, member.email, first);
  await expect(page.getByRole('alert')).toContainText('Invalid email or password');
  await logIn(page, member.email, second);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('banner').getByText(member.name)).toBeVisible();
  // The Users page itself turns a viewer away.
  await page.goto('/users');
  await expect(page.getByRole('heading', { name: 'No access' })).toBeVisible();
  await logOut(page);

  // The admin resets the password; the user logs in with the one the admin set. Wait for the login to
  // land before navigating, or the navigation cancels the login request (Argon2 takes a while).
  await logIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/users');
  const row = page.getByTestId(`user-row-${member.email}`);
  await expect(row).not.toContainText('Never');
  await row.getByRole('button', { name: `Actions for ${member.name}` }).click();
  await page.getByRole('menuitem', { name: 'Reset password' }).click();
  const reset = page.getByRole('dialog', { name: 'Reset password' });
  await reset.getByRole('textbox', { name: 'New password', exact: true }).fill(third);
  await reset.getByRole('textbox', { name: 'Confirm new password' }).fill(third);
  await reset.getByRole('button', { name: 'Reset password', exact: true }).click();
  await expect(reset).toBeHidden();
  await expect(page.getByText(`Password of ${member.name} reset; they were logged out.`)).toBeVisible();
  await logOut(page);

  await logIn(page, member.email, second);
  await expect(page.getByRole('alert')).toContainText('Invalid email or password');
  await logIn(page, member.email, third);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('banner').getByText(member.name)).toBeVisible();

  expect(unexpected(errors), 'browser console errors').toEqual([]);
});
