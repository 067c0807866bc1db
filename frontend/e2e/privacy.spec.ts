import { readFile } from 'node:fs/promises';

import { expect, test } from '@playwright/test';

import { collectBrowserErrors } from './browserErrors';
import { getJson, logIn, unexpected } from './session';

type Customer = { id: number; email: string; first_name: string; last_name: string; erased_at: string | null };

test('an admin downloads a customer’s data, erases it through the panel, and the list shows the anonymised row', async ({
  page,
}) => {
  const errors = collectBrowserErrors(page);
  await logIn(page);
  const request = page.request;
  const csrf = (await page.context().cookies()).find((c) => c.name === 'shopcrm_csrf')?.value ?? '';
  const stamp = Date.now();
  const email = `gdpr.e2e.${String(stamp)}@example.org`;
  const created = await request.post('/api/customers', {
    headers: { 'X-CSRF-Token': csrf },
    data: { first_name: 'Greta', last_name: `Privacy${String(stamp)}`, email, phone: '+4915112345678', city: 'Hamburg' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const customer = (await created.json()) as Customer;
  const [someOrder] = (await getJson<{ items: { id: number }[] }>(request, '/api/orders?limit=1')).items;
  if (someOrder === undefined) throw new Error('the demo data has no orders');
  const sku = (await getJson<{ items: { sku: string }[] }>(request, `/api/orders/${String(someOrder.id)}`)).items[0]?.sku;
  const ordered = await request.post('/api/orders', {
    headers: { 'X-CSRF-Token': csrf },
    data: {
      order_number: `E2E-GDPR-${String(stamp)}`,
      customer_id: customer.id,
      items: [{ sku, quantity: 1, unit_price: '42.00' }],
      shipping: { name: 'Greta Privacy', address1: 'Elbchaussee 1', city: 'Hamburg', postal_code: '22763', country: 'DE' },
    },
  });
  expect(ordered.status(), await ordered.text()).toBe(201);

  // The customer's panel, from the list filtered to them.
  await page.goto(`/customers?q=${encodeURIComponent(email)}&customer=${String(customer.id)}`);
  const panel = page.getByRole('dialog', { name: `Greta Privacy${String(stamp)}` });
  await expect(panel.getByRole('heading', { name: 'Personal data' })).toBeVisible();

  // Article 15: the download is the JSON document, with the order and its address.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('link', { name: 'Download personal data' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`customer-${String(customer.id)}-personal-data.json`);
  const document = JSON.parse(await readFile(await download.path(), 'utf8')) as {
    customer: Customer;
    orders: { order_number: string; shipping: { address1: string } }[];
  };
  expect(document.customer.email).toBe(email);
  expect(document.orders.map((o) => [o.order_number, o.shipping.address1])).toEqual([
    [`E2E-GDPR-${String(stamp)}`, 'Elbchaussee 1'],
  ]);
  await page.screenshot({ path: 'test-results/privacy-panel.png' });

  // Article 17: the button stays disabled until the email is typed.
  await panel.getByRole('button', { name: 'Erase personal data' }).click();
  const modal = page.getByRole('dialog', { name: /Erase Greta/ });
  await expect(modal.getByText('Destroyed for good')).toBeVisible();
  const confirm = modal.getByRole('button', { name: 'Erase for good' });
  await expect(confirm).toBeDisabled();
  await modal.getByLabel('Type the customer’s email to confirm').fill('someone.else@example.org');
  await expect(confirm).toBeDisabled();
  await modal.getByLabel('Type the customer’s email to confirm').fill(email.toUpperCase());
  await page.screenshot({ path: 'test-results/privacy-erase-modal.png' });
  await confirm.click();
  await expect(modal).toBeHidden();

  // The panel shows the anonymised customer, and so does the list (searched by the new address).
  const erasedPanel = page.getByRole('dialog', { name: 'Erased customer' });
  await expect(erasedPanel.getByTestId('erased-badge')).toBeVisible();
  await expect(
    erasedPanel.getByRole('region', { name: 'Profile' }).getByText(`erased-${String(customer.id)}@erased.invalid`),
  ).toBeVisible();
  await expect(erasedPanel.getByRole('button', { name: 'Erase personal data' })).toHaveCount(0);
  // Nothing offers to edit a record the server refuses to change (409).
  await expect(erasedPanel.getByRole('button', { name: 'Edit' })).toHaveCount(0);
  await page.goto(`/customers?q=${encodeURIComponent(`erased-${String(customer.id)}@`)}`);
  const table = page.getByRole('table', { name: 'Customers' });
  await expect(table.getByText(`erased-${String(customer.id)}@erased.invalid`)).toBeVisible();
  await expect(table.getByText('Erased customer')).toBeVisible();
  await expect(table.getByRole('button', { name: 'Edit Erased customer' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/privacy-list-after.png' });

  const after = await getJson<Customer>(request, `/api/customers/${String(customer.id)}/export`).then((d) => d);
  expect(JSON.stringify(after)).not.toContain('Elbchaussee');

  // Both actions are in the audit log page.
  await page.goto('/audit-log');
  const log = page.getByRole('table', { name: 'Audit log' });
  await expect(log.getByText('customer.erase')).toBeVisible();
  await expect(log.getByText('customer.export').first()).toBeVisible();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: 'test-results/audit-log-1440.png' });
  expect(unexpected(errors)).toEqual([]);
});

test('on a phone: the export buttons, the personal-data section and the audit log fit the screen', async ({ page }) => {
  const errors = collectBrowserErrors(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page);
  const [first] = (await getJson<{ items: Customer[] }>(page.request, '/api/customers?limit=1&sort=name&order=asc')).items;
  if (first === undefined) throw new Error('the demo data has no customers');
  await page.goto(`/customers?sort=name&dir=asc&customer=${String(first.id)}`);
  const panel = page.getByRole('dialog');
  await expect(panel.getByRole('heading', { name: 'Personal data' })).toBeVisible();
  await panel.getByRole('heading', { name: 'Personal data' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/privacy-panel-390.png' });
  await panel.getByRole('button', { name: 'Erase personal data' }).click();
  await expect(page.getByRole('dialog', { name: /Erase / })).toBeVisible();
  await page.screenshot({ path: 'test-results/privacy-erase-modal-390.png' });
  await page.getByRole('button', { name: 'Cancel' }).click();

  // The Export CSV link carries the list's filters and sort, without the page.
  await page.goto('/customers?status=active&sort=name&dir=asc');
  const exportLink = page.getByTestId('export-csv');
  await expect(exportLink).toHaveAttribute('href', '/api/customers.csv?sort=name&order=asc&status=active');
  await page.screenshot({ path: 'test-results/customers-390.png' });
  await page.goto('/orders?status=paid');
  await expect(page.getByTestId('export-csv')).toHaveAttribute('href', /^\/api\/orders\.csv\?.*status=paid/);
  const download = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const text = await readFile(await download[0].path(), 'utf8');
  expect(text.split('\r\n')[0]).toBe(
    'order_number,placed_at,status,currency,customer_email,total_amount,sku,product_name,quantity,price,shipping_name,shipping_address1,shipping_address2,shipping_city,shipping_postal_code,shipping_country',
  );
  expect(text.split('\r\n').slice(1, -1).every((line) => line.includes(',paid,'))).toBe(true);
  await page.screenshot({ path: 'test-results/orders-390.png' });

  await page.goto('/audit-log');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await page.screenshot({ path: 'test-results/audit-log-390.png' });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  expect(unexpected(errors)).toEqual([]);
});

test('a viewer sees no personal-data actions and no audit log', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('viewer@example.com');
  await page.getByRole('textbox', { name: 'Password' }).fill('e2e-Password-1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  const [first] = (await getJson<{ items: Customer[] }>(page.request, '/api/customers?limit=1')).items;
  if (first === undefined) throw new Error('the demo data has no customers');
  await page.goto(`/customers?customer=${String(first.id)}`);
  await expect(page.getByRole('dialog').getByText('Stats')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Personal data' })).toHaveCount(0);
  await expect(page.getByTestId('export-csv')).toBeVisible(); // whoever may read the list may export it
});

for (const width of [1440, 390]) {
  test(`at ${String(width)} wide: an erased person comes back, and an admin lifts the suppression from the new-customer form`, async ({
    page,
  }) => {
    const errors = collectBrowserErrors(page);
    await page.setViewportSize({ width, height: 900 });
    await logIn(page);
    const request = page.request;
    const csrf = (await page.context().cookies()).find((c) => c.name === 'shopcrm_csrf')?.value ?? '';
    const stamp = `${String(width)}${String(Date.now())}`;
    const email = `comes.back.${stamp}@example.org`;
    const created = await request.post('/api/customers', {
      headers: { 'X-CSRF-Token': csrf },
      data: { first_name: 'Rhea', last_name: `Return${stamp}`, email },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { id } = (await created.json()) as Customer;
    const erased = await request.post(`/api/customers/${String(id)}/erase`, {
      headers: { 'X-CSRF-Token': csrf },
      data: { confirm: email },
    });
    expect(erased.status(), await erased.text()).toBe(200);

    // The same person asks to be a customer again, through the only way in: New customer.
    await page.goto('/customers');
    await page.getByRole('button', { name: 'New customer' }).click();
    const form = page.getByRole('dialog', { name: 'New customer' });
    await form.getByRole('textbox', { name: 'First name' }).fill('Rhea');
    await form.getByRole('textbox', { name: 'Last name' }).fill(`Return${stamp}`);
    await form.getByRole('textbox', { name: 'Email' }).fill(email);
    await form.getByRole('button', { name: 'Create customer' }).click();
    await expect(form.getByText("Erased at the person's request")).toBeVisible();
    const lift = form.getByRole('button', { name: 'They asked to come back: lift and save' });
    await expect(lift).toBeInViewport();
    await page.screenshot({ path: `test-results/privacy-lift-${String(width)}.png` });
    await lift.click();
    await expect(page.getByText(`Rhea Return${stamp} created.`)).toBeVisible();
    await expect(form).toHaveCount(0);

    const found = await getJson<{ items: Customer[] }>(request, `/api/customers?q=${encodeURIComponent(email)}`);
    expect(found.items.map((c) => [c.email, c.erased_at])).toEqual([[email, null]]);
    await page.setViewportSize({ width: 1440, height: 900 }); // the log is a table at desktop width
    await page.goto('/audit-log?action=customer.suppression_lift');
    await expect(page.getByRole('table', { name: 'Audit log' }).getByText('customer.suppression_lift').first()).toBeVisible();
    // The refused first try is the 409 the form answered with the lift.
    expect(unexpected(errors, [/status of 409 \(Conflict\) \(http:[^)]*\/api\/customers\)$/])).toEqual([]);
  });
}
