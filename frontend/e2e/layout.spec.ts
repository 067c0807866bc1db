import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

import { collectBrowserErrors } from './browserErrors';
import { horizontalOverflow, logIn, unexpected } from './session';

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (b === null) throw new Error('not rendered');
  return b;
}

async function expectNoSidewaysScroll(page: Page, what: string) {
  const { scrollWidth, clientWidth } = await horizontalOverflow(page);
  expect(scrollWidth, `${what}: document wider than the viewport`).toBeLessThanOrEqual(clientWidth);
}

/** `inner` lies within `outer` horizontally (to the pixel). */
async function expectInside(inner: Locator, outer: Locator, what: string) {
  const [i, o] = [await box(inner), await box(outer)];
  expect(i.x, `${what}: left edge`).toBeGreaterThanOrEqual(o.x - 0.5);
  expect(i.x + i.width, `${what}: right edge`).toBeLessThanOrEqual(o.x + o.width + 0.5);
}

test.describe('at 1440×900', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('the customers and orders tables fit their cards, every column visible', async ({ page }) => {
    const errors = collectBrowserErrors(page);
    await logIn(page);

    await page.goto('/customers');
    const customers = page.getByRole('table', { name: 'Customers' });
    await expect(customers.getByRole('row')).toHaveCount(26);
    await expectNoSidewaysScroll(page, 'Customers');
    const card = page.locator('.mantine-Card-root').filter({ has: customers });
    await expectInside(customers, card, 'customers table in its card');
    for (const header of ['Name', 'Email', 'Status', 'Tier', 'Country', 'Orders', 'Spend', 'Created', 'Last order']) {
      await expect(customers.getByRole('columnheader', { name: new RegExp(`^${header}`) })).toBeVisible();
    }
    // The actions column is whole: the first row's Edit button is inside the card.
    await expectInside(customers.getByRole('button', { name: /^Edit / }).first(), card, 'edit button');

    await page.goto('/orders');
    const orders = page.getByRole('table', { name: 'Orders' });
    await expect(orders.getByRole('row')).toHaveCount(26);
    await expectNoSidewaysScroll(page, 'Orders');
    await expectInside(orders, page.locator('.mantine-Card-root').filter({ has: orders }), 'orders table in its card');

    expect(unexpected(errors), 'browser console errors').toEqual([]);
  });
});

test.describe('at 390×844 (a phone)', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('customers: a compact list, the panel fills the screen, the email does not run into the phone', async ({
    page,
  }) => {
    const errors = collectBrowserErrors(page);
    await logIn(page);
    await page.goto('/customers');
    const list = page.getByRole('list', { name: 'Customers' });
    await expect(list.getByRole('listitem')).toHaveCount(25);
    await expect(page.getByRole('table')).toHaveCount(0);
    await expectNoSidewaysScroll(page, 'Customers');
    await expectInside(list, page.locator('.mantine-Card-root').filter({ has: list }), 'customer list in its card');

    const first = list.getByRole('listitem').first().getByRole('link');
    const name = (await first.textContent()) ?? '';
    await first.click();
    const panel = page.getByRole('dialog', { name });
    await expect(panel.getByRole('heading', { name: 'Insights' })).toBeVisible();
    await expect.poll(async () => box(panel)).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    expect(await panel.evaluate((el) => el.scrollWidth <= el.clientWidth), 'panel scrolls sideways').toBe(true);

    // Email and phone side by side would collide: they stack.
    const email = await box(panel.getByText('Email', { exact: true }).locator('..'));
    const phone = await box(panel.getByText('Phone', { exact: true }).locator('..'));
    const overlap = email.x < phone.x + phone.width && phone.x < email.x + email.width && email.y < phone.y + phone.height && phone.y < email.y + email.height;
    expect(overlap, 'email and phone overlap').toBe(false);
    await expectNoSidewaysScroll(page, 'Customers with the panel open');

    expect(unexpected(errors), 'browser console errors').toEqual([]);
  });

  test('orders: a compact list, the date inputs inside their card', async ({ page }) => {
    const errors = collectBrowserErrors(page);
    await logIn(page);
    await page.goto('/orders');
    const list = page.getByRole('list', { name: 'Orders' });
    await expect(list.getByRole('listitem')).toHaveCount(25);
    await expectNoSidewaysScroll(page, 'Orders');
    const card = page.locator('.mantine-Card-root').filter({ has: list });
    for (const label of ['Placed from', 'Placed to']) {
      await expectInside(page.getByLabel(label), card, label);
    }
    await expectInside(list, card, 'order list in its card');

    expect(unexpected(errors), 'browser console errors').toEqual([]);
  });
});
