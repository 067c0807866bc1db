import { expect, test } from '@playwright/test';
import type { APIRequestContext, Page } from '@playwright/test';

import { collectBrowserErrors } from './browserErrors';

// Users created by e2e/start-server.sh, on the demo data (seed 42) it loads.
const ADMIN = { email: 'admin@example.com', password: 'e2e-Password-1' };

type Customer = {
  id: number;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  total_orders: number;
};
type CustomerPage = { items: Customer[]; total: number };
type OrderPage = { items: { id: number; status: string }[]; total: number; status_counts: Record<string, number> };

/**
 * Chromium logs every 4xx answer as a console error. Tolerated: the 401 of `me` before logging in,
 * and the 409 a duplicate email gets from PUT /api/customers/{id} when a test provokes it.
 */
function unexpected(errors: string[]): string[] {
  return errors.filter(
    (e) =>
      !(
        (e.includes('the server responded with a status of 401') && /\/api\/auth\/(me|login)\b/.test(e)) ||
        (e.includes('the server responded with a status of 409') && /\/api\/customers\/\d+\b/.test(e))
      ),
  );
}

async function logIn(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/$/);
}

async function getJson<T>(request: APIRequestContext, url: string): Promise<T> {
  const response = await request.get(url);
  expect(response.ok(), `GET ${url}`).toBeTruthy();
  return (await response.json()) as T;
}

/** A customer with orders whose last-name prefix finds them on the first page of results. */
async function findSearchableCustomer(request: APIRequestContext): Promise<{ customer: Customer; prefix: string }> {
  const candidates = await getJson<CustomerPage>(request, '/api/customers?orders_min=3&sort=name&order=desc&limit=20');
  for (const customer of candidates.items) {
    const prefix = customer.last_name.slice(0, Math.max(3, customer.last_name.length - 1));
    const found = await getJson<CustomerPage>(request, `/api/customers?q=${encodeURIComponent(prefix)}&limit=25`);
    if (found.items.some((c) => c.id === customer.id)) return { customer, prefix };
  }
  throw new Error('no searchable customer in the demo data');
}

function panelParams(page: Page) {
  const params = new URL(page.url()).searchParams;
  return { customer: params.get('customer'), order: params.get('order'), q: params.get('q') };
}

test('search a customer, walk customer → order → customer, and back again', async ({ page }) => {
  const errors = collectBrowserErrors(page);
  await logIn(page);
  const { customer, prefix } = await findSearchableCustomer(page.request);
  const name = `${customer.first_name} ${customer.last_name}`;

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Customers' }).click();
  await expect(page).toHaveURL(/\/customers$/);
  const table = page.getByRole('table', { name: 'Customers' });
  await expect(table.getByRole('row')).toHaveCount(26); // header + 25 rows

  // The search box is debounced and lands in the URL (replacing, not pushing, history).
  await page.getByRole('searchbox', { name: 'Search customers' }).fill(prefix);
  await expect.poll(() => panelParams(page).q).toBe(prefix);
  const customerLink = table.getByRole('link', { name, exact: true });
  await expect(customerLink).toBeVisible();

  // Open the customer's panel: a drawer titled with their name, `?customer=<id>` in the URL.
  await customerLink.click();
  await expect(page).toHaveURL(new RegExp(`[?&]customer=${String(customer.id)}\\b`));
  const customerPanel = page.getByRole('dialog', { name });
  await expect(customerPanel.getByRole('heading', { name: 'Insights' })).toBeVisible();
  await expect(customerPanel.getByText(customer.email, { exact: true })).toBeVisible();

  // Open one of their orders from the panel.
  const recentOrders = customerPanel.getByRole('table', { name: 'Recent orders' });
  const firstOrder = recentOrders.getByRole('link').first();
  const orderNumber = (await firstOrder.textContent()) ?? '';
  expect(orderNumber).toMatch(/^SO-\d+$/);
  await firstOrder.click();
  const orderPanel = page.getByRole('dialog', { name: `Order ${orderNumber}` });
  await expect(orderPanel.getByRole('table', { name: 'Order items' })).toBeVisible();
  const orderId = panelParams(page).order;
  expect(orderId).toMatch(/^\d+$/);
  expect(panelParams(page)).toEqual({ customer: null, order: orderId, q: prefix });

  // And from the order, back to its customer.
  await orderPanel.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('dialog', { name })).toBeVisible();
  expect(panelParams(page)).toEqual({ customer: String(customer.id), order: null, q: prefix });

  // The back button walks the chain backwards: order, customer, then the plain search.
  await page.goBack();
  await expect(page.getByRole('dialog', { name: `Order ${orderNumber}` })).toBeVisible();
  expect(panelParams(page)).toEqual({ customer: null, order: orderId, q: prefix });
  await page.goBack();
  await expect(page.getByRole('dialog', { name })).toBeVisible();
  expect(panelParams(page)).toEqual({ customer: String(customer.id), order: null, q: prefix });
  await page.goBack();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect(panelParams(page)).toEqual({ customer: null, order: null, q: prefix });
  await expect(page.getByRole('searchbox', { name: 'Search customers' })).toHaveValue(prefix);

  // A shared link opens the same view.
  await page.goto(`/customers?q=${encodeURIComponent(prefix)}&customer=${String(customer.id)}`);
  await expect(page.getByRole('dialog', { name })).toBeVisible();

  expect(unexpected(errors), 'browser console errors').toEqual([]);
});

test('edit a customer: field errors from the form and from the API, then save', async ({ page }) => {
  const errors = collectBrowserErrors(page);
  await logIn(page);
  const list = await getJson<CustomerPage>(page.request, '/api/customers?sort=email&order=asc&limit=2');
  const [customer, other] = list.items;
  if (customer === undefined || other === undefined) throw new Error('demo data missing');
  const name = `${customer.first_name} ${customer.last_name}`;

  await page.goto(`/customers?q=${encodeURIComponent(customer.email)}`);
  await page.getByRole('button', { name: `Edit ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit ${name}` });
  const phone = dialog.getByRole('textbox', { name: 'Phone' });
  const email = dialog.getByRole('textbox', { name: 'Email' });

  // Client-side check: not E.164.
  await phone.fill('0151 2345');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog.getByText(/Use international format/)).toBeVisible();
  await expect(phone).toHaveAttribute('aria-invalid', 'true');

  // Server-side check: another customer's email → 409, shown under the email field.
  await phone.fill('+4915123456789');
  await email.fill(other.email);
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog.getByText('Already used by another customer')).toBeVisible();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByText(/Use international format/)).toHaveCount(0);

  // Fixed: saved, the modal closes, and the customer has the new phone.
  await email.fill(customer.email);
  await dialog.getByRole('textbox', { name: 'City' }).fill('Playwright City');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog).toBeHidden();
  const saved = await getJson<{ customer: Customer & { city: string } }>(
    page.request,
    `/api/customers/${String(customer.id)}/details`,
  );
  expect(saved.customer).toMatchObject({ phone: '+4915123456789', email: customer.email, city: 'Playwright City' });

  await page.getByRole('table', { name: 'Customers' }).getByRole('link', { name, exact: true }).click();
  const panel = page.getByRole('dialog', { name });
  // Stored as E.164, shown grouped for reading.
  await expect(panel.getByText('+49 1512 3456789')).toBeVisible();
  await expect(panel.getByText(/Playwright City/)).toBeVisible();

  expect(unexpected(errors), 'browser console errors').toEqual([]);
});

test('orders: status tabs show their counts and filter the rows', async ({ page }) => {
  const errors = collectBrowserErrors(page);
  await logIn(page);
  const { status_counts: counts } = await getJson<OrderPage>(page.request, '/api/orders?limit=1');
  const format = (n: number) => (n > 10_000 ? '10,000+' : n.toLocaleString('en-US'));

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Orders' }).click();
  const tabs = page.getByRole('tablist', { name: 'Order status' });
  for (const status of ['all', 'pending', 'paid', 'shipped', 'cancelled']) {
    await expect(page.getByTestId(`status-count-${status}`)).toHaveText(format(counts[status] ?? 0));
  }
  await expect(tabs.getByRole('tab', { name: /^All/ })).toHaveAttribute('aria-selected', 'true');

  for (const [label, status] of [
    ['Shipped', 'shipped'],
    ['Cancelled', 'cancelled'],
  ] as const) {
    await tabs.getByRole('tab', { name: new RegExp(`^${label}`) }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]status=${status}\\b`));
    await expect(tabs.getByRole('tab', { name: new RegExp(`^${label}`) })).toHaveAttribute('aria-selected', 'true');
    const expected = counts[status] ?? 0;
    await expect(page.getByTestId('range-text')).toHaveText(
      `Showing 1–${String(Math.min(25, expected))} of ${format(expected)}`,
    );
    const statusCells = page.getByRole('table', { name: 'Orders' }).getByTestId('order-status');
    await expect(statusCells).toHaveCount(Math.min(25, expected));
    await expect(statusCells).toHaveText(Array.from({ length: Math.min(25, expected) }, () => label));
  }

  // Next page keeps the tab and moves the range; back returns to page 1.
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page).toHaveURL(/[?&]cursor=.+&page=2/);
  await expect(page.getByTestId('range-text')).toHaveText(new RegExp(`^Showing 26–50 of `));
  await expect(page.getByRole('table', { name: 'Orders' }).getByTestId('order-status').first()).toHaveText('Cancelled');
  await page.goBack();
  await expect(page.getByTestId('range-text')).toHaveText(new RegExp(`^Showing 1–25 of `));

  expect(unexpected(errors), 'browser console errors').toEqual([]);
});

type CustomerDetails = {
  customer: Customer & { city: string | null; country: string | null };
  stats: { total_orders: number; days_since_last_order: number | null; lifetime_spend: string };
  insights: {
    rfm: { group: string; recency: number | null; frequency: number | null; monetary: number | null; basis: string };
    next_order: { expected_at: string | null; typical_gap_days: number | null };
    churn_risk: { level: string };
  };
};
type OrderDetails = { order_number: string; items: { quantity: number }[] };
type OrderRows = OrderPage & { items: { id: number; customer_id: number; item_count: number; order_number: string }[] };

test('edit from the customer panel: the form opens above the panel and saves with the mouse', async ({ page }) => {
  const errors = collectBrowserErrors(page);
  await logIn(page);
  const list = await getJson<CustomerPage>(page.request, '/api/customers?sort=name&order=asc&limit=1');
  const customer = list.items[0];
  if (customer === undefined) throw new Error('demo data missing');
  const name = `${customer.first_name} ${customer.last_name}`;

  await page.goto(`/customers?q=${encodeURIComponent(customer.email)}`);
  await page.getByRole('table', { name: 'Customers' }).getByRole('link', { name, exact: true }).click();
  const panel = page.getByRole('dialog', { name });
  await expect(panel.getByRole('heading', { name: 'Insights' })).toBeVisible();

  // The panel's Edit, not the row's pencil: the form must be on top of the panel to be saved.
  await panel.getByRole('button', { name: 'Edit' }).click();
  const form = page.getByRole('dialog', { name: `Edit ${name}` });
  await form.getByRole('textbox', { name: 'City' }).fill('Panel Edit City');
  await form.getByRole('button', { name: 'Save changes' }).click({ timeout: 5_000 });
  await expect(form).toBeHidden();

  // The panel shows the change, and focus is back on its Edit button.
  await expect(panel.getByText(/^Panel Edit City/)).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Edit' })).toBeFocused();
  const saved = await getJson<CustomerDetails>(page.request, `/api/customers/${String(customer.id)}/details`);
  expect(saved.customer.city).toBe('Panel Edit City');

  expect(unexpected(errors), 'browser console errors').toEqual([]);
});

test('order counts and "items" say what they count', async ({ page }) => {
  const errors = collectBrowserErrors(page);
  await logIn(page);
  // A customer with a cancelled order: their counted orders and their order list differ.
  const cancelled = await getJson<OrderRows>(page.request, '/api/orders?status=cancelled&limit=1');
  const customerId = cancelled.items[0]?.customer_id;
  if (customerId === undefined) throw new Error('no cancelled order in the demo data');
  const { status_counts: counts } = await getJson<OrderPage>(
    page.request,
    `/api/orders?customer_id=${String(customerId)}&limit=1`,
  );
  const details = await getJson<CustomerDetails>(page.request, `/api/customers/${String(customerId)}/details`);
  const all = counts.all ?? 0;
  const uncounted = (counts.cancelled ?? 0) + (counts.refunded ?? 0);
  expect(uncounted).toBeGreaterThan(0);
  expect(details.stats.total_orders).toBe(all - uncounted);
  const name = `${details.customer.first_name} ${details.customer.last_name}`;

  await page.goto(`/customers?customer=${String(customerId)}`);
  const panel = page.getByRole('dialog', { name });
  await expect(panel.getByTestId('counted-orders')).toHaveText(String(details.stats.total_orders));
  await expect(panel.getByText(`Not counting ${String(uncounted)} cancelled or refunded`)).toBeVisible();
  const viewAll = panel.getByRole('link', { name: `View all ${String(all)} ${all === 1 ? 'order' : 'orders'}` });
  await viewAll.click();

  // The list it opens has as many orders as the link said.
  await expect(page).toHaveURL(new RegExp(`/orders\\?customer_id=${String(customerId)}$`));
  await expect(page.getByTestId('range-text')).toHaveText(`Showing 1–${String(Math.min(25, all))} of ${String(all)}`);

  // "Lines" in the list (products of an order), lines and units in the order panel.
  const table = page.getByRole('table', { name: 'Orders' });
  await expect(table.getByRole('columnheader', { name: 'Lines' })).toBeVisible();
  const rows = await getJson<OrderRows>(page.request, `/api/orders?customer_id=${String(customerId)}&limit=25`);
  const first = rows.items[0];
  if (first === undefined) throw new Error('no order');
  await expect(table.getByTestId('order-lines').first()).toHaveText(String(first.item_count));
  const order = await getJson<OrderDetails>(page.request, `/api/orders/${String(first.id)}`);
  const units = order.items.reduce((n, item) => n + item.quantity, 0);
  await table.getByRole('link', { name: first.order_number }).click();
  await expect(page.getByRole('dialog', { name: `Order ${first.order_number}` }).getByTestId('order-lines-units')).toHaveText(
    `${String(order.items.length)} ${order.items.length === 1 ? 'line' : 'lines'} · ${String(units)} ${units === 1 ? 'unit' : 'units'}`,
  );
  expect(first.item_count).toBe(order.items.length);

  expect(unexpected(errors), 'browser console errors').toEqual([]);
});

function calendarDaysSince(iso: string): number {
  const midnight = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  return Math.round((midnight(new Date()) - midnight(new Date(iso))) / 86_400_000);
}

test('insights: an overdue next order, the R/F/M scores, money with its currency, a Champion at risk explained', async ({
  page,
}) => {
  const errors = collectBrowserErrors(page);
  await logIn(page);
  const top = await getJson<CustomerPage>(page.request, '/api/customers?sort=total_spend&order=desc&limit=100');
  let found: CustomerDetails | undefined;
  for (const c of top.items) {
    const d = await getJson<CustomerDetails>(page.request, `/api/customers/${String(c.id)}/details`);
    const expected = d.insights.next_order.expected_at;
    if (
      d.insights.rfm.group === 'Champions' &&
      ['medium', 'high'].includes(d.insights.churn_risk.level) &&
      expected !== null &&
      calendarDaysSince(expected) > 1
    ) {
      found = d;
      break;
    }
  }
  if (found === undefined) throw new Error('no overdue Champion at churn risk among the 100 biggest spenders');
  const { customer, insights, stats } = found;
  const name = `${customer.first_name} ${customer.last_name}`;

  await page.goto(`/customers?customer=${String(customer.id)}`);
  const panel = page.getByRole('dialog', { name });
  const overdue = calendarDaysSince(insights.next_order.expected_at ?? '');
  await expect(panel.getByTestId('next-order')).toHaveText(`Overdue by ${String(overdue)} days`);
  await expect(panel.getByTestId('rfm-scores')).toHaveText(
    `Recency ${String(insights.rfm.recency)}/5 · Frequency ${String(insights.rfm.frequency)}/5 · Monetary ${String(insights.rfm.monetary)}/5`,
  );
  const spent = Number(stats.lifetime_spend).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
  await expect(panel.getByText(`${spent} spent`, { exact: false })).toBeVisible();
  await expect(panel.getByTestId('insights-reconcile')).toContainText('Champion by past value');
  await expect(panel.getByTestId('insights-reconcile')).toContainText(
    `no order for ${String(stats.days_since_last_order)} days`,
  );

  expect(unexpected(errors), 'browser console errors').toEqual([]);
});
