import { readFile } from 'node:fs/promises';

import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

import { expectAccessible } from './axe';
import { collectBrowserErrors } from './browserErrors';
import { getJson, horizontalOverflow, logIn, unexpected } from './session';

type Preset = { id: string; label: string; kind: string };
type Field = { id: string; label: string; required: boolean };
type Product = { sku: string; name: string; price: string; stock: number };
type ImportOut = { id: number; status: string; rows_total: number | null; rows_imported: number; rows_failed: number };

/** Where the screenshots of each step go (looked at by hand; Playwright's output folder). */
const SHOTS = 'test-results/import-screens';

const SHOPIFY_HEADERS = [
  'Name',
  'Email',
  'Financial Status',
  'Paid at',
  'Fulfillment Status',
  'Accepts Marketing',
  'Currency',
  'Subtotal',
  'Shipping',
  'Taxes',
  'Total',
  'Created at',
  'Lineitem quantity',
  'Lineitem name',
  'Lineitem price',
  'Lineitem sku',
  'Billing Name',
  'Shipping Name',
  'Shipping Address1',
  'Shipping City',
  'Shipping Zip',
  'Shipping Country',
  'Cancelled at',
];

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A small Shopify orders export, written as Shopify writes it: one row per line item, the order's
 * fields only on its first line, a BOM, quoted commas. Row 5 (counting the header as row 1) has a
 * negative quantity: the one bad row.
 */
function shopifyOrders(stamp: string, products: readonly Product[]): { csv: string; badRow: number; goodLines: number } {
  const [a, b] = products;
  if (a === undefined || b === undefined) throw new Error('demo data has no products');
  const order = (n: number) => `#E2E${stamp}-${String(n)}`;
  const rows: string[][] = [
    // order 1: two lines
    [order(1), `ann.${stamp}@example.com`, 'paid', '2024-03-05 14:25:00 +0100', 'fulfilled', 'yes', 'USD', '30.00', '0.00', '0.00', '30.00', '2024-03-05 14:22:10 +0100', '2', a.name, '10.00', a.sku, 'Ann Lee', 'Ann Lee', '1 Main St, Apt 2', 'Paris', '75001', 'FR', ''],
    [order(1), '', '', '', '', '', '', '', '', '', '', '', '1', b.name, '10.00', b.sku, '', '', '', '', '', '', ''],
    // order 2: refunded, one line
    [order(2), `bob.${stamp}@example.com`, 'refunded', '2024-04-01T09:00:00Z', 'fulfilled', 'no', 'USD', '10.00', '0.00', '0.00', '10.00', '2024-04-01T08:59:00Z', '1', b.name, '10.00', b.sku, 'Bob Roe', 'Bob Roe', '2 High St', 'Leeds', 'LS1', 'GB', ''],
    // order 3: the bad row, a negative quantity
    [order(3), `cy.${stamp}@example.com`, 'paid', '2024-05-02 10:00:00 +0000', '', 'yes', 'USD', '10.00', '0.00', '0.00', '10.00', '2024-05-02 10:00:00 +0000', '-1', a.name, '10.00', a.sku, 'Cy Doe', 'Cy Doe', '3 Low Rd', 'Berlin', '10115', 'DE', ''],
    // order 4: one line
    [order(4), `dee.${stamp}@example.com`, 'pending', '', '', 'no', 'USD', '20.00', '0.00', '0.00', '20.00', '2024-06-10 16:30:00 -0400', '2', a.name, '10.00', a.sku, 'Dee Fox', 'Dee Fox', '4 Elm Ave', 'Boston', '02108', 'US', ''],
  ];
  const lines = [SHOPIFY_HEADERS.join(','), ...rows.map((r) => r.map(csvCell).join(','))];
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, badRow: 5, goodLines: rows.length - 1 };
}

async function expectNoSidewaysScroll(page: Page, what: string) {
  const { scrollWidth, clientWidth } = await horizontalOverflow(page);
  expect(scrollWidth, `${what}: document wider than the viewport`).toBeLessThanOrEqual(clientWidth);
}

async function expectInViewportWidth(locator: Locator, page: Page, what: string) {
  const box = await locator.boundingBox();
  if (box === null) throw new Error(`${what}: not rendered`);
  const width = page.viewportSize()?.width ?? 0;
  expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what}: right edge`).toBeLessThanOrEqual(width + 0.5);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** One whole import through the page at one width: upload, check the mapping, start, watch, download the error file. */
async function importThroughThePage(page: Page, width: number) {
  const errors = collectBrowserErrors(page);
  await logIn(page);
  const stamp = `${Date.now().toString(36)}w${String(width)}`;
  const { items } = await getJson<{ items: Product[] }>(page.request, '/api/inventory?limit=2&sort=sku&order=asc');
  const presets = await getJson<Preset[]>(page.request, '/api/imports/presets');
  const fields = await getJson<Field[]>(page.request, '/api/imports/fields?kind=orders');
  const shopify = presets.find((p) => p.id === 'shopify_orders');
  if (shopify === undefined) throw new Error('no shopify_orders preset');
  const label = (id: string) => fields.find((f) => f.id === id)?.label ?? id;
  const { csv, badRow, goodLines } = shopifyOrders(stamp, items);

  // Step 1: the page from the navigation (behind the burger on a phone), orders chosen, the stock note, the file.
  if (width < 768) await page.getByRole('button', { name: 'Toggle navigation' }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Import' }).click();
  await expect(page.getByRole('heading', { name: 'Import', level: 1 })).toBeVisible();
  await page.getByRole('radio', { name: 'Orders' }).click();
  await expect(page.getByTestId('history-note')).toContainText('do not take stock');
  await expectNoSidewaysScroll(page, 'step 1');
  await shot(page, `1-file-${String(width)}`);
  await page.getByLabel('CSV file').setInputFiles({ name: `shopify-orders-${stamp}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });

  // Step 2: the preview and the guessed mapping.
  await expect(page).toHaveURL(/[?&]import=\d+/);
  const importId = Number(/[?&]import=(\d+)/.exec(page.url())?.[1]);
  await expect(page.getByRole('table', { name: /^First 5 rows of shopify-orders-/ })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Format', exact: true })).toHaveValue(shopify.label);
  const mapped = (header: string) => page.getByRole('combobox', { name: `ShopCRM field for column ${header}`, exact: true });
  await expect(mapped('Name')).toHaveValue(new RegExp(`^${label('order_number')}`));
  await expect(mapped('Email')).toHaveValue(new RegExp(`^${label('customer_email')}`));
  await expect(mapped('Lineitem sku')).toHaveValue(new RegExp(`^${label('sku')}`));
  await expect(page.getByRole('button', { name: 'Start import' })).toBeEnabled();
  await expectNoSidewaysScroll(page, 'step 2');
  await expectInViewportWidth(page.getByRole('button', { name: 'Start import' }), page, 'Start button');
  await shot(page, `2-columns-${String(width)}`);
  if (width >= 1200) await expectAccessible(page, 'Import: preview and columns');

  // Step 3: progress until done.
  await page.getByRole('button', { name: 'Start import' }).click();
  await expect(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  await shot(page, `3-progress-${String(width)}`);
  const summary = page.getByTestId('import-summary');
  await expect(summary).toBeVisible({ timeout: 30_000 });
  await expect(summary).toContainText('Import finished');
  await expect(page.getByTestId('rows-failed')).toHaveText('1');
  const answer = await getJson<ImportOut>(page.request, `/api/imports/${String(importId)}`);
  expect(answer).toMatchObject({ status: 'done', rows_failed: 1, rows_imported: goodLines });
  await expect(page.getByTestId('rows-imported')).toHaveText(String(goodLines));
  await expectNoSidewaysScroll(page, 'step 3');
  await shot(page, `4-done-${String(width)}`);
  if (width >= 1200) await expectAccessible(page, 'Import: finished');

  // The error file names the bad row and its column.
  const downloading = page.waitForEvent('download');
  await summary.getByRole('link', { name: /^Download error file/ }).click();
  const download = await downloading;
  const errorsCsv = await readFile(await download.path(), 'utf8');
  const lines = errorsCsv.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  expect(lines[0]).toBe('row,column,value,reason');
  expect(lines).toHaveLength(2);
  // The value as written, behind the apostrophe that keeps a spreadsheet from reading `-1` as a formula.
  expect(lines[1]).toMatch(new RegExp(`^${String(badRow)},Lineitem quantity,'?-1,.*negative quantity`, 'i'));

  // A reload shows the same import, finished; the history lists it with its error file.
  await page.reload();
  await expect(page.getByTestId('import-summary')).toContainText('Import finished');
  const history = width >= 1200 ? page.getByRole('table', { name: 'Past imports' }) : page.getByRole('list', { name: 'Past imports' });
  await expect(history).toContainText(`shopify-orders-${stamp}.csv`);
  await expect(history.getByRole('link', { name: new RegExp(`^Error file of shopify-orders-${stamp}\\.csv`) })).toHaveAttribute(
    'href',
    `/api/imports/${String(importId)}/errors.csv`,
  );
  await expectNoSidewaysScroll(page, 'finished, after a reload');
  await shot(page, `5-history-${String(width)}`);

  expect(unexpected(errors), 'browser console errors').toEqual([]);
}

test.describe('at 1440×900', () => {
  test.use({ viewport: { width: 1440, height: 900 } });
  test('upload a Shopify orders export with one bad row, map, import, download the error file', async ({ page }) => {
    test.slow();
    await importThroughThePage(page, 1440);
  });
});

test.describe('at 390×844 (a phone)', () => {
  test.use({ viewport: { width: 390, height: 844 } });
  test('the same import on a phone: every step fits the screen', async ({ page }) => {
    test.slow();
    await importThroughThePage(page, 390);
  });
});

/** A Shopify orders export of `orders` one-line orders, big enough to watch it run. */
function bigShopifyOrders(stamp: string, product: Product, orders: number): string {
  const lines = [SHOPIFY_HEADERS.join(',')];
  for (let n = 1; n <= orders; n += 1) {
    const day = String(1 + (n % 28)).padStart(2, '0');
    const email = `big${String(n % 997)}.${stamp}@example.com`;
    lines.push(
      [`#BIG${stamp}-${String(n)}`, email, 'paid', '', 'fulfilled', 'no', 'USD', '10.00', '0.00', '0.00', '10.00', `2023-05-${day} 10:00:00 +0000`, '1', csvCell(product.name), '10.00', product.sku, `Big Buyer ${String(n)}`, `Big Buyer ${String(n)}`, '1 Road', 'Oslo', '0150', 'NO', ''].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

test('a big file: progress with rows per second and time left at both widths, then cancel after confirming', async ({ page }) => {
  test.slow();
  const errors = collectBrowserErrors(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page);
  const stamp = Date.now().toString(36);
  const { items } = await getJson<{ items: Product[] }>(page.request, '/api/inventory?limit=1&sort=sku&order=asc');
  const product = items[0];
  if (product === undefined) throw new Error('demo data has no products');
  const total = 60_000;
  await page.goto('/import?kind=orders');
  await page.getByLabel('CSV file').setInputFiles({ name: `big-${stamp}.csv`, mimeType: 'text/csv', buffer: Buffer.from(bigShopifyOrders(stamp, product, total)) });
  await page.getByRole('button', { name: 'Start import' }).click();

  // Running: rows done of the total, a rate and the time left.
  await expect(page.getByTestId('rate-text')).toContainText(/rows\/s · .+ left/, { timeout: 30_000 });
  await expect(page.getByTestId('rows-text')).toContainText(`of ${total.toLocaleString('en-US')} rows`);
  await expectNoSidewaysScroll(page, 'running, phone');
  await expectInViewportWidth(page.getByRole('button', { name: 'Cancel import' }), page, 'Cancel button');
  await shot(page, '3-running-390');
  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(page.getByTestId('rate-text')).toBeVisible();
  await shot(page, '3-running-1440');

  await page.getByRole('button', { name: 'Cancel import' }).click();
  const dialog = page.getByRole('dialog', { name: `Cancel the import of big-${stamp}.csv?` });
  await shot(page, '3-cancel-1440');
  await dialog.getByRole('button', { name: 'Cancel import' }).click();
  const summary = page.getByTestId('import-summary');
  await expect(summary).toContainText('Import cancelled', { timeout: 60_000 });
  await expectNoSidewaysScroll(page, 'cancelled');
  await shot(page, '4-cancelled-1440');

  // It stopped at a chunk's end, short of the whole file.
  const importId = Number(/[?&]import=(\d+)/.exec(page.url())?.[1]);
  const answer = await getJson<ImportOut & { rows_done: number }>(page.request, `/api/imports/${String(importId)}`);
  expect(answer.status).toBe('cancelled');
  expect(answer.rows_done).toBeLessThan(total);
  await expect(page.getByTestId('rows-imported')).toHaveText(answer.rows_imported.toLocaleString('en-US'));

  expect(unexpected(errors), 'browser console errors').toEqual([]);
});

test('a viewer sees no Import link and gets "no access" on the page', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('viewer@example.com');
  await page.getByRole('textbox', { name: 'Password' }).fill('e2e-Password-1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Import' })).toHaveCount(0);
  await page.goto('/import');
  await expect(page.getByRole('heading', { name: 'No access' })).toBeVisible();
});
