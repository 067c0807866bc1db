import { readFile } from 'node:fs/promises';

import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

import { collectBrowserErrors } from './browserErrors';

// Users created by e2e/start-server.sh, on the demo data (seed 42) it loads.
const ADMIN = { email: 'admin@example.com', password: 'e2e-Password-1' };

type Product = {
  id: number;
  name: string;
  sku: string;
  price: string;
  stock: number;
  forecast: { need: string | null; reason: string } | null;
};
type ProductPage = { items: Product[]; total: number; next_cursor: string | null };

async function logIn(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/$/);
}

/** Every product of the filtered list, through the API (all pages). */
async function allProducts(page: Page, query: string): Promise<Product[]> {
  const out: Product[] = [];
  let cursor: string | null = null;
  do {
    const url = `/api/inventory?${query}&limit=100${cursor !== null ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await page.request.get(url);
    expect(response.ok(), url).toBeTruthy();
    const body = (await response.json()) as ProductPage;
    out.push(...body.items);
    cursor = body.next_cursor;
  } while (cursor !== null);
  return out;
}

test('filter inventory by price range, export what is shown, receive stock and see its movement', async ({ page }) => {
  test.setTimeout(60_000); // the product panel also draws its forecast chart; this 2-core machine is shared
  const errors = collectBrowserErrors(page);
  await logIn(page);
  await page.getByRole('link', { name: 'Inventory' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Inventory' })).toBeVisible();

  await page.getByLabel('Min price').fill('20');
  await page.getByLabel('Min price').press('Enter');
  await page.getByLabel('Max price').fill('40');
  await page.getByLabel('Max price').press('Enter');
  await expect(page).toHaveURL(/min_price=20/);
  await expect(page).toHaveURL(/max_price=40/);

  const expected = await allProducts(page, 'min_price=20&max_price=40&sort=name&order=asc');
  const first = expected[0];
  if (first === undefined) throw new Error('no product in the price range');
  const rows = page.getByTestId('product-row');
  const shown = Math.min(expected.length, 25);
  await expect(rows).toHaveCount(shown);
  await expect(rows.first()).toContainText(first.name);
  await expect(rows.nth(shown - 1)).toContainText(expected[shown - 1]?.name ?? '');
  await expect(page.getByRole('table', { name: 'Products' })).toHaveAttribute('aria-busy', 'false');
  for (const text of await rows.allInnerTexts()) {
    const price = Number(/\$([\d,]+\.\d{2})/.exec(text)?.[1]?.replace(',', ''));
    expect(price).toBeGreaterThanOrEqual(20);
    expect(price).toBeLessThanOrEqual(40);
  }

  // The export carries the same filters: its rows are the filtered list, every page of it.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const download = await downloading;
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trim().split(/\r\n/);
  expect(lines[0]).toBe(
    'id,sku,name,category,price,cost,stock,low_stock_threshold,reorder_lead_days,stock_state,' +
      'forecast_status,forecast_30d,days_of_cover,stockout_on,need,reorder_qty,need_reason,forecast_computed_at',
  );
  const skus = lines.slice(1).map((line) => line.split(',')[1]);
  expect(skus).toEqual(expected.map((p) => p.sku));

  // Receive stock on the first product and see the movement in its panel.
  const product = first;
  await rows.first().getByRole('link', { name: product.name }).click();
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByText(product.sku)).toBeVisible();
  await drawer.getByLabel('Units received').fill('7');
  await drawer.getByLabel('Reason').fill('E2E delivery 42');
  await drawer.getByRole('button', { name: 'Receive' }).click();
  await expect(drawer.getByText(`Stock is now ${(product.stock + 7).toLocaleString('en-US')}.`)).toBeVisible();
  const movement = drawer.getByTestId('movement-row').first();
  await expect(movement).toContainText('Received');
  await expect(movement).toContainText('+7');
  await expect(movement).toContainText('E2E delivery 42');
  await expect(movement).toContainText((product.stock + 7).toLocaleString('en-US'));

  // Chromium logs the 401 of `me` before logging in as a console error.
  expect(errors.filter((e) => !(e.includes('status of 401') && /\/api\/auth\/(me|login)\b/.test(e)))).toEqual([]);
});

test('filter inventory by need level, see the reason and export those products', async ({ page }) => {
  test.setTimeout(60_000);
  const errors = collectBrowserErrors(page);
  await logIn(page);
  // The server computes the forecasts in the background at start-up.
  await expect
    .poll(async () => ((await (await page.request.get('/api/inventory/forecast')).json()) as { computed: boolean }).computed, {
      timeout: 20_000,
    })
    .toBe(true);
  await page.goto('/inventory');
  await expect(page.getByLabel('Forecast accuracy')).toContainText('Forecast error, last 30 days');
  await expect(page.getByLabel('Forecast accuracy')).toContainText('naive');

  await page.getByRole('combobox', { name: 'Need' }).click();
  await page.getByRole('option', { name: 'Critical', exact: true }).click();
  await page.getByRole('option', { name: 'High', exact: true }).click();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/need=critical/);
  await expect(page).toHaveURL(/need=high/);

  const expected = await allProducts(page, 'need=critical&need=high&sort=name&order=asc');
  expect(expected.length).toBeGreaterThan(0);
  for (const p of expected) expect(['critical', 'high']).toContain(p.forecast?.need);
  const rows = page.getByTestId('product-row');
  await expect(rows).toHaveCount(Math.min(expected.length, 25));
  await expect(page.getByRole('table', { name: 'Products' })).toHaveAttribute('aria-busy', 'false');
  for (const text of await rows.allInnerTexts()) expect(text).toMatch(/critical|high/i);

  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const csv = await readFile(await (await downloading).path(), 'utf8');
  const lines = csv.trim().split(/\r\n/).slice(1);
  expect(lines.map((line) => line.split(',')[1])).toEqual(expected.map((p) => p.sku));
  for (const line of lines) expect(line).toMatch(/,(critical|high),\d+,/);

  // The product's panel gives the reason, the suggested order and the forecast's past error.
  const first = expected[0];
  if (first === undefined) throw new Error('no product in need');
  await rows.first().getByRole('link', { name: first.name }).click();
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByTestId('need-reason')).toHaveText(first.forecast?.reason ?? '');
  await expect(drawer.getByTestId('backtest-sentence')).toContainText('Past error');
  await expect(drawer.getByLabel('Chart of units sold per day and the forecast')).toBeVisible();

  expect(errors.filter((e) => !(e.includes('status of 401') && /\/api\/auth\/(me|login)\b/.test(e)))).toEqual([]);
});
