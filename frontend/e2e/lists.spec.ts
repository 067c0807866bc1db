import { expect, test } from '@playwright/test';

import { collectBrowserErrors } from './browserErrors';
import { getJson, logIn, unexpected } from './session';

type CustomerPage = { items: { id: number; first_name: string; last_name: string }[]; total: number };

test('customers list: filter chips, rows per page, paging back to the top, a sticky header', async ({ page }) => {
  const errors = collectBrowserErrors(page);
  await logIn(page);
  await page.goto('/customers?status=active&tier=silver&tier=gold&spend_min=100');
  const table = page.getByRole('table', { name: 'Customers' });
  await expect(table.getByRole('row')).toHaveCount(26);

  // Applied filters are chips, each removable on its own (as on Orders).
  const chips = page.getByRole('group', { name: 'Active filters' });
  await expect(chips.getByTestId('filter-chip-status')).toHaveText('Status: Active');
  await expect(chips.getByTestId('filter-chip-tier')).toHaveText('Tier: Silver, Gold');
  await expect(chips.getByTestId('filter-chip-spend')).toHaveText('Spend ≥ $100.00');
  await chips.getByRole('button', { name: 'Remove filter Tier: Silver, Gold' }).click();
  await expect(page).toHaveURL(/\/customers\?status=active&spend_min=100$/);
  await expect(chips.getByTestId('filter-chip-tier')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Filters/ })).toContainText('2');

  // "Rows per page" shows its whole value.
  const rowsPerPage = page.getByRole('combobox', { name: 'Rows per page' });
  await expect(rowsPerPage).toHaveValue('25');
  const fits = await rowsPerPage.evaluate((input: HTMLInputElement) => {
    const style = getComputedStyle(input);
    const canvas = document.createElement('canvas').getContext('2d');
    if (canvas === null) return false;
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const textWidth = canvas.measureText(input.value).width;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return textWidth <= room;
  });
  expect(fits, '"25" fits in the Rows per page box').toBe(true);

  // The header stays under the app header while the rows scroll.
  await page.mouse.wheel(0, 700);
  await expect.poll(() => table.getByRole('columnheader', { name: /^Name/ }).evaluate((th) => th.getBoundingClientRect().top)).toBeCloseTo(64, 0);

  // Next, from the bottom of the page: the new rows are shown from the first one.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const firstRow = table.getByRole('row').nth(1);
  await expect(firstRow).not.toBeInViewport();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page).toHaveURL(/[?&]page=2/);
  await expect(page.getByTestId('range-text')).toHaveText(/^Showing 26–50 of /);
  await expect(firstRow).toBeInViewport();
  await expect(page.getByRole('searchbox', { name: 'Search customers' })).toBeInViewport();

  expect(unexpected(errors), 'browser console errors').toEqual([]);
});

test('customer names are links: Ctrl/Cmd-click opens a new tab, a plain click the panel in place', async ({ page }) => {
  const errors = collectBrowserErrors(page);
  await logIn(page);
  const { items } = await getJson<CustomerPage>(page.request, '/api/customers?limit=1');
  const customer = items[0];
  if (customer === undefined) throw new Error('demo data missing');
  const name = `${customer.first_name} ${customer.last_name}`;

  await page.goto('/customers');
  const link = page.getByRole('table', { name: 'Customers' }).getByRole('link', { name, exact: true });
  await expect(link).toHaveAttribute('href', `/customers?customer=${String(customer.id)}`);

  const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click({ modifiers: ['ControlOrMeta'] })]);
  await expect(tab).toHaveURL(new RegExp(`/customers\\?customer=${String(customer.id)}$`));
  await expect(tab.getByRole('dialog', { name })).toBeVisible();
  await tab.close();
  await expect(page).toHaveURL(/\/customers$/);
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await link.click();
  await expect(page).toHaveURL(new RegExp(`/customers\\?customer=${String(customer.id)}$`));
  await expect(page.getByRole('dialog', { name })).toBeVisible();
  expect(page.context().pages()).toHaveLength(1);

  expect(unexpected(errors), 'browser console errors').toEqual([]);
});

test('a customer that no longer exists says so, with no Retry', async ({ page }) => {
  const errors = collectBrowserErrors(page);
  await logIn(page);
  await page.goto('/customers?customer=987654321');
  const panel = page.getByRole('dialog', { name: 'Customer' });
  await expect(panel.getByText('This customer no longer exists')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Retry' })).toHaveCount(0);

  expect(unexpected(errors, [/status of 404.*\/api\/customers\/987654321\b/]), 'browser console errors').toEqual([]);
});
