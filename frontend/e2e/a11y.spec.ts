import { expect, test } from '@playwright/test';

import { expectAccessible } from './axe';
import { collectBrowserErrors } from './browserErrors';
import { getJson, logIn, unexpected } from './session';

type CustomerPage = { items: { id: number; first_name: string; last_name: string; total_orders: number }[] };

test.describe('at 1440 wide', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('axe finds no critical or serious WCAG 2.1 AA violation on any page, panel or form', async ({ page }) => {
    // Nine full axe runs: 1.4 min on two shared, busy cores (measured), near test.slow()'s 90 s.
    test.setTimeout(180_000);
    const errors = collectBrowserErrors(page);
    await page.goto('/login');
    await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
    await expectAccessible(page, 'Login');

    await logIn(page);
    await expect(page.getByRole('heading', { name: /^Welcome/ })).toBeVisible();
    await expectAccessible(page, 'Dashboard');

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Customers' }).click();
    const table = page.getByRole('table', { name: 'Customers' });
    await expect(table.getByRole('row')).toHaveCount(26);
    await expectAccessible(page, 'Customers');

    const customerLink = table.getByRole('link').first();
    const name = (await customerLink.textContent()) ?? '';
    await customerLink.click();
    const panel = page.getByRole('dialog', { name });
    await expect(panel.getByRole('heading', { name: 'Insights' })).toBeVisible();
    await expectAccessible(page, 'Customer panel');

    await panel.getByRole('button', { name: 'Edit' }).click();
    await expect(page.getByRole('dialog', { name: `Edit ${name}` })).toBeVisible();
    await expectAccessible(page, 'Edit customer form');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: `Edit ${name}` })).toBeHidden();
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();

    await page.getByRole('button', { name: /^Filters/ }).click();
    await expect(page.getByRole('dialog', { name: 'Filter customers' })).toBeVisible();
    await expectAccessible(page, 'Customer filters');
    await page.keyboard.press('Escape');

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Orders' }).click();
    const orders = page.getByRole('table', { name: 'Orders' });
    await expect(orders.getByRole('row')).toHaveCount(26);
    await expectAccessible(page, 'Orders');

    const orderLink = orders.getByRole('link').first();
    const number = (await orderLink.textContent()) ?? '';
    await orderLink.click();
    await expect(page.getByRole('dialog', { name: `Order ${number}` }).getByRole('table', { name: 'Order items' })).toBeVisible();
    await expectAccessible(page, 'Order panel');

    // The import page's first step and its history (its later steps are checked in import.spec.ts).
    await page.goto('/import');
    await expect(page.getByRole('heading', { name: 'Import', level: 1 })).toBeVisible();
    await page.getByRole('radio', { name: 'Orders' }).click();
    await expect(page.getByTestId('history-note')).toBeVisible();
    await expectAccessible(page, 'Import');

    expect(unexpected(errors), 'browser console errors').toEqual([]);
  });
});

test('close buttons have names; the filter drawer opens on its first filter', async ({ page }) => {
  await logIn(page);
  await page.goto('/customers');
  await page.getByRole('button', { name: /^Filters/ }).click();
  const drawer = page.getByRole('dialog', { name: 'Filter customers' });
  await expect(drawer.getByRole('button', { name: 'Close', exact: true })).toBeVisible();
  await expect(drawer.getByRole('checkbox', { name: 'Active', exact: true })).toBeFocused();
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'New customer' }).click();
  const form = page.getByRole('dialog', { name: 'New customer' });
  await expect(form.getByRole('button', { name: 'Close', exact: true })).toBeVisible();
  await expect(form.getByRole('textbox', { name: 'First name' })).toBeFocused();
});

test('each page has its own title, and navigating moves focus to its heading', async ({ page }) => {
  await page.goto('/login');
  await expect(page).toHaveTitle('Log in · ShopCRM');
  await logIn(page);
  await expect(page).toHaveTitle('Dashboard · ShopCRM');
  await expect(page.getByRole('heading', { name: /^Welcome/ })).toBeFocused();

  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await nav.getByRole('link', { name: 'Customers' }).click();
  await expect(page).toHaveTitle('Customers · ShopCRM');
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeFocused();
  await nav.getByRole('link', { name: 'Orders' }).click();
  await expect(page).toHaveTitle('Orders · ShopCRM');
  await expect(page.getByRole('heading', { name: 'Orders', level: 1 })).toBeFocused();
  await page.goto('/nowhere');
  await expect(page).toHaveTitle('Page not found · ShopCRM');
});

test('closing chained panels returns focus to the row they came from, or to the heading', async ({ page }) => {
  const errors = collectBrowserErrors(page);
  await logIn(page);
  const { items } = await getJson<CustomerPage>(page.request, '/api/customers?orders_min=2&limit=1');
  const customer = items[0];
  if (customer === undefined) throw new Error('demo data missing');
  const name = `${customer.first_name} ${customer.last_name}`;
  await page.goto('/customers?orders_min=2');
  const row = page.getByRole('table', { name: 'Customers' }).getByRole('link', { name, exact: true });

  // customer → order → Escape
  await row.click();
  const panel = page.getByRole('dialog', { name });
  await panel.getByRole('table', { name: 'Recent orders' }).getByRole('link').first().click();
  await expect(page.getByRole('dialog', { name: /^Order / })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(row).toBeFocused();

  // A panel reached with the back button: customer → order → Back → Escape
  await row.click();
  await panel.getByRole('table', { name: 'Recent orders' }).getByRole('link').first().click();
  await expect(page.getByRole('dialog', { name: /^Order / })).toBeVisible();
  await page.goBack();
  await expect(panel.getByRole('heading', { name: 'Insights' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(row).toBeFocused();

  // Opened from a shared link, there is no row to go back to: the page heading.
  await page.goto(`/customers?customer=${String(customer.id)}`);
  await expect(panel).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeFocused();

  expect(unexpected(errors), 'browser console errors').toEqual([]);
});

test('text inputs show a focus ring', async ({ page }) => {
  await logIn(page);
  await page.goto('/customers');
  const search = page.getByRole('searchbox', { name: 'Search customers' });
  await search.focus();
  const outline = await search.evaluate((el) => {
    const style = getComputedStyle(el);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  expect(outline.style).not.toBe('none');
  expect(outline.width).toBeGreaterThanOrEqual(2);
});
