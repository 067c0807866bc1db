import { expect, test } from '@playwright/test';

import { collectBrowserErrors } from './browserErrors';
import { getJson, logIn, unexpected } from './session';

type Customer = { id: number };
type OrderDetails = { id: number; total_amount: string; items: { sku: string }[] };

function dollars(text: string): number {
  return Number(text.replace(/[^0-9.-]/g, ''));
}

test('an order posted through the API shows on the open dashboard within 10 s, without a reload', async ({ page }) => {
  const errors = collectBrowserErrors(page);
  await logIn(page);
  await expect(page).toHaveTitle('Dashboard · ShopCRM');
  const sales = page.getByTestId('metric-sales-value');
  await expect(sales).toHaveText(/\$/);
  await expect(page.getByText('Sales and orders per day')).toBeVisible();
  const before = dollars(await sales.innerText());

  // A product and a customer from the demo data, through the same session (cookie + CSRF token).
  const request = page.request;
  const [customer] = (await getJson<{ items: Customer[] }>(request, '/api/customers?limit=1')).items;
  const [someOrder] = (await getJson<{ items: { id: number }[] }>(request, '/api/orders?limit=1')).items;
  if (customer === undefined || someOrder === undefined) throw new Error('the demo data has no customers or orders');
  const details = await getJson<OrderDetails>(request, `/api/orders/${someOrder.id}`);
  const sku = details.items[0]?.sku ?? '';
  const csrf = (await page.context().cookies()).find((c) => c.name === 'shopcrm_csrf')?.value ?? '';
  const navigations: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  });

  const posted = await request.post('/api/orders', {
    headers: { 'X-CSRF-Token': csrf },
    data: {
      order_number: `E2E-DASH-${Date.now()}`,
      customer_id: customer.id,
      items: [{ sku, quantity: 1, unit_price: '1234.56' }],
    },
  });
  expect(posted.status(), await posted.text()).toBe(201);
  const order = (await posted.json()) as OrderDetails;
  expect(order.total_amount).toBe('1234.56');

  await expect
    .poll(async () => dollars(await sales.innerText()), { timeout: 10_000, intervals: [250] })
    .toBeCloseTo(before + 1234.56, 2);
  expect(navigations).toEqual([]); // no reload
  expect(unexpected(errors)).toEqual([]);
});

test('the period picker changes the period and keeps it in the URL', async ({ page }) => {
  await logIn(page);
  await page.getByText('7 days').click();
  await expect(page).toHaveURL(/period=7d/);
  await expect(page.getByTestId('metric-orders')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('radio', { name: '7 days' })).toBeChecked();
});
