import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import type { UserOut } from '@/api/client';
import { CurrentUserContext } from '@/components/currentUser';
import { configureClientForTests, jsonResponse, renderWithProviders } from '@/test/render';

import ImportPage from './Import';

const ADA: UserOut = { id: 1, email: 'ada@example.com', full_name: 'Ada Admin', role: 'admin' };

const PRESETS = [
  { id: 'shopify_orders', label: 'Shopify orders export', kind: 'orders', description: 'One row per line item.' },
  { id: 'orders_simple', label: 'One row per order', kind: 'orders', description: 'Order number, email, date, total, status.' },
  { id: 'customers', label: 'ShopCRM customers', kind: 'customers', description: 'ShopCRM’s own customers.csv.' },
];

const ORDER_FIELDS = [
  { id: 'order_number', label: 'Order number', required: true, help: 'e.g. #1001' },
  { id: 'customer_email', label: 'Customer email', required: true, help: null },
  { id: 'placed_at', label: 'Placed at', required: true, help: null },
  { id: 'status', label: 'Status', required: false, help: null },
  { id: 'total_amount', label: 'Total', required: false, help: null },
  { id: 'sku', label: 'SKU', required: false, help: null },
  { id: 'quantity', label: 'Quantity', required: false, help: null },
];

const HEADERS = ['Name', 'Email', 'Financial Status', 'Created at', 'Lineitem quantity', 'Lineitem sku', 'Notes'];

const UPLOAD = {
  id: 42,
  status: 'uploaded',
  filename: 'orders_export.csv',
  kind: 'orders',
  headers: HEADERS,
  preview: [
    ['#1001', 'ann@example.com', 'paid', '2024-03-05 14:22:10 +0100', '2', 'TEA-1', ''],
    ['#1002', 'bob@example.com', 'refunded', '2024-03-06 09:00:00 +0100', '1', 'CUP-2', 'gift'],
  ],
  preset: 'shopify_orders',
  // The guess leaves the date out: the user maps it.
  mapping: {
    Name: 'order_number',
    Email: 'customer_email',
    'Financial Status': 'status',
    'Created at': null,
    'Lineitem quantity': 'quantity',
    'Lineitem sku': 'sku',
    Notes: null,
  },
};

function importState(overrides: Record<string, unknown> = {}) {
  return {
    preset: 'shopify_orders',
    headers: HEADERS,
    mapping: UPLOAD.mapping,
    preview: [],
    rows_unchanged: 0,
    id: 42,
    status: 'running',
    kind: 'orders',
    filename: 'orders_export.csv',
    rows_total: 5000,
    rows_done: 1234,
    rows_imported: 1233,
    rows_failed: 1,
    rows_per_second: 2468.2,
    seconds_left: 200,
    error: null,
    created_at: '2026-11-30T07:00:00Z',
    started_at: '2026-11-30T07:00:01Z',
    finished_at: null,
    created_by: 'Ada Admin',
    ...overrides,
  };
}

type Handler = (request: Request, url: URL) => Response | Promise<Response | undefined> | undefined;

/** A fake API: each handler may answer; the calls are recorded as "METHOD /path?query". */
function serve(handlers: Handler[]) {
  const calls: string[] = [];
  const bodies: unknown[] = [];
  const fetchMock = vi.fn(async (request: Request) => {
    const url = new URL(request.url);
    calls.push(`${request.method} ${url.pathname}${url.search}`);
    if (request.method === 'POST' && request.headers.get('Content-Type')?.includes('application/json')) {
      bodies.push(await request.clone().json());
    }
    for (const handler of handlers) {
      const answer = await handler(request, url);
      if (answer !== undefined) return answer;
    }
    if (url.pathname === '/api/imports/presets') return jsonResponse(200, PRESETS);
    if (url.pathname === '/api/imports/fields') return jsonResponse(200, ORDER_FIELDS);
    if (url.pathname === '/api/imports' && request.method === 'GET') return jsonResponse(200, { items: [] });
    return jsonResponse(404, { error: { code: 'not_found', message: `No route ${url.pathname}`, details: null } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, bodies };
}

function Where() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

function renderPage(route = '/import') {
  return renderWithProviders(
    <CurrentUserContext.Provider value={ADA}>
      <Routes>
        <Route
          path="/import"
          element={
            <>
              <ImportPage />
              <Where />
            </>
          }
        />
        <Route path="*" element={<Where />} />
      </Routes>
    </CurrentUserContext.Provider>,
    { route },
  );
}

function csvFile(name = 'orders_export.csv', text = 'Name,Email\n#1001,ann@example.com\n') {
  return new File([text], name, { type: 'text/csv' });
}

function selectInput(label: string) {
  return screen.getByLabelText(label, { selector: 'input' });
}

async function chooseOption(label: string, option: string | RegExp) {
  await userEvent.click(selectInput(label));
  await userEvent.click(await screen.findByRole('option', { name: option }));
}

beforeAll(() => {
  configureClientForTests();
});
afterEach(() => {
  vi.useRealTimers();
});

// A mapping table is dozens of Mantine Selects: slow to render in jsdom on a busy machine.
describe('ImportPage: upload and mapping', { timeout: 30_000 }, () => {
  it('uploads the file with its kind, previews it and preselects the guessed preset and mapping', async () => {
    let uploaded: FormData | null = null;
    const { calls } = serve([
      async (request, url) => {
        if (url.pathname === '/api/imports' && request.method === 'POST') {
          uploaded = await request.formData();
          return jsonResponse(201, UPLOAD);
        }
        if (url.pathname === '/api/imports/42') return jsonResponse(200, { ...importState({ rows_done: 0 }), ...UPLOAD });
        return undefined;
      },
    ]);
    renderPage('/import?kind=orders');

    expect(screen.getByTestId('history-note')).toHaveTextContent('do not take stock');
    await userEvent.upload(screen.getByLabelText('CSV file'), csvFile());

    expect(await screen.findByRole('table', { name: 'First 2 rows of orders_export.csv' })).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/import?kind=orders&import=42');
    const form = uploaded as FormData | null;
    expect(form?.get('kind')).toBe('orders');
    // A file part (jsdom's File loses its name and bytes on the way into Node's Request: the e2e test
    // sends a real one through Chromium).
    expect((form?.get('file') as Blob | null)?.type).toBe('text/csv');
    expect(calls).toContain('POST /api/imports');

    expect(selectInput('Format')).toHaveValue('Shopify orders export');
    expect(selectInput('ShopCRM field for column Name')).toHaveValue('Order number');
    expect(selectInput('ShopCRM field for column Notes')).toHaveValue('Not imported');
    // The order history is not a sale today: said again where the import is started.
    expect(screen.getByTestId('history-note')).toBeInTheDocument();

    // The date is required and not mapped: Start waits for it, and says why.
    expect(screen.getByTestId('missing-fields')).toHaveTextContent('Placed at');
    expect(screen.getByRole('button', { name: 'Start import' })).toBeDisabled();
    expect(screen.getByTestId('start-problems')).toHaveTextContent('Map a column to Placed at (required).');

    await chooseOption('ShopCRM field for column Created at', /^Placed at/);
    expect(screen.queryByTestId('missing-fields')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Start import' })).toBeEnabled();
  });

  it('flags two columns mapped to one field, and a preset refills the mapping', async () => {
    serve([
      (request, url) => {
        if (url.pathname === '/api/imports' && request.method === 'POST') return jsonResponse(201, UPLOAD);
        if (url.pathname === '/api/imports/42') return jsonResponse(200, { ...importState(), ...UPLOAD });
        return undefined;
      },
    ]);
    renderPage('/import?kind=orders');
    await userEvent.upload(screen.getByLabelText('CSV file'), csvFile());
    await screen.findByTestId('mapping-table');

    await chooseOption('ShopCRM field for column Notes', /^Order number/);
    expect(await screen.findByText('Order number already comes from “Name”')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Start import' })).toBeDisabled();

    // One row per order: the guess is not for it, so columns map by name only (none here) and a SKU is asked for.
    await chooseOption('Format', 'One row per order');
    expect(selectInput('ShopCRM field for column Name')).toHaveValue('Not imported');
    expect(screen.getByTestId('preset-description')).toHaveTextContent('Order number, email, date, total, status.');
    expect(screen.getByRole('textbox', { name: /Product SKU/ })).toBeInTheDocument();

    // Back to the guessed preset: the server's mapping again.
    await chooseOption('Format', 'Shopify orders export');
    expect(selectInput('ShopCRM field for column Name')).toHaveValue('Order number');
    expect(selectInput('ShopCRM field for column Notes')).toHaveValue('Not imported');

    // A long export: only the columns that go somewhere.
    expect(screen.getAllByTestId('mapping-row')).toHaveLength(HEADERS.length);
    await userEvent.click(screen.getByRole('switch', { name: 'Only mapped columns (5 of 7)' }));
    expect(screen.getAllByTestId('mapping-row').map((row) => row.dataset.header)).toEqual([
      'Name',
      'Email',
      'Financial Status',
      'Lineitem quantity',
      'Lineitem sku',
    ]);
  });

  it('comes back to the mapping step after a reload (the import id is in the URL)', async () => {
    serve([(_request, url) => (url.pathname === '/api/imports/42' ? jsonResponse(200, { ...importState(), ...UPLOAD }) : undefined)]);
    renderPage('/import?import=42');
    expect(await screen.findByRole('table', { name: 'First 2 rows of orders_export.csv' })).toBeInTheDocument();
    expect(selectInput('Format')).toHaveValue('Shopify orders export');
    expect(selectInput('ShopCRM field for column Email')).toHaveValue('Customer email');
  });

  it('takes a file dropped on the drop area', async () => {
    const { calls } = serve([
      (request, url) => {
        if (url.pathname === '/api/imports' && request.method === 'POST') return jsonResponse(201, UPLOAD);
        if (url.pathname === '/api/imports/42') return jsonResponse(200, { ...importState(), ...UPLOAD });
        return undefined;
      },
    ]);
    renderPage('/import?kind=orders');
    const area = screen.getByTestId('drop-area');
    fireEvent.dragOver(area, { dataTransfer: { files: [] } });
    expect(area).toHaveAttribute('data-dragging', 'true');
    fireEvent.drop(area, { dataTransfer: { files: [csvFile()] } });
    expect(await screen.findByTestId('mapping-table')).toBeInTheDocument();
    expect(calls).toContain('POST /api/imports');
  });

  it('shows why the server refused the file', async () => {
    serve([
      (request, url) => {
        if (url.pathname === '/api/imports' && request.method === 'POST') {
          return jsonResponse(422, {
            error: { code: 'validation_error', message: 'file: not a CSV file (binary data in the first bytes)', details: [] },
          });
        }
        return undefined;
      },
    ]);
    renderPage('/import?kind=orders');
    await userEvent.upload(screen.getByLabelText('CSV file'), csvFile('export.csv'));
    expect(await screen.findByTestId('upload-error')).toHaveTextContent('file: not a CSV file (binary data in the first bytes)');
    expect(screen.getByTestId('location')).toHaveTextContent('/import?kind=orders');
  });

  it('says so when the server cannot be reached, and refuses an empty file without sending it', async () => {
    const fetchMock = vi.fn(() => Promise.reject(new TypeError('Failed to fetch')));
    vi.stubGlobal('fetch', fetchMock);
    renderPage('/import');
    await userEvent.upload(screen.getByLabelText('CSV file'), csvFile('empty.csv', ''));
    expect(await screen.findByTestId('upload-error')).toHaveTextContent('empty.csv is empty.');
    const sent = fetchMock.mock.calls.length;

    await userEvent.upload(screen.getByLabelText('CSV file'), csvFile());
    expect(await screen.findByTestId('upload-error')).toHaveTextContent('Cannot reach the server');
    expect(fetchMock.mock.calls.length).toBeGreaterThan(sent);
  });

  it('sends the mapping, the preset and the SKU, and shows a 422 naming the field at the field', async () => {
    const simpleUpload = {
      ...UPLOAD,
      headers: ['number', 'email', 'date', 'total'],
      preview: [['1001', 'ann@example.com', '2024-03-05', '12.50']],
      preset: 'orders_simple',
      mapping: { number: 'order_number', email: 'customer_email', date: 'placed_at', total: 'total_amount' },
    };
    const { bodies } = serve([
      (request, url) => {
        if (url.pathname === '/api/imports' && request.method === 'POST') return jsonResponse(201, simpleUpload);
        if (url.pathname === '/api/imports/42/start') {
          return jsonResponse(422, {
            error: {
              code: 'validation_error',
              message: 'options.product_sku: no product has this SKU',
              details: [{ loc: ['body', 'options', 'product_sku'], message: 'no product has this SKU', type: 'value_error' }],
            },
          });
        }
        if (url.pathname === '/api/imports/42') return jsonResponse(200, { ...importState(), ...simpleUpload });
        return undefined;
      },
    ]);
    renderPage('/import?kind=orders');
    await userEvent.upload(screen.getByLabelText('CSV file'), csvFile());
    const sku = await screen.findByRole('textbox', { name: /Product SKU/ });
    expect(screen.getByRole('button', { name: 'Start import' })).toBeDisabled();
    await userEvent.type(sku, '  NOPE-1 ');
    await userEvent.click(screen.getByRole('button', { name: 'Start import' }));

    expect(await screen.findByTestId('start-error')).toHaveTextContent('options.product_sku: no product has this SKU');
    expect(screen.getByText('No product has this SKU')).toBeInTheDocument();
    expect(sku).toHaveAttribute('aria-invalid', 'true');
    expect(bodies).toEqual([
      {
        mapping: { number: 'order_number', email: 'customer_email', date: 'placed_at', total: 'total_amount' },
        preset: 'orders_simple',
        options: { product_sku: 'NOPE-1', product_name: null },
      },
    ]);
  });
});

describe('ImportPage: progress', { timeout: 30_000 }, () => {
  it('polls the running import until it is done, then links the error file and the lists', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const answers = [
      importState({ status: 'queued', rows_done: 0, rows_imported: 0, rows_failed: 0, rows_per_second: null, seconds_left: null, rows_total: null }),
      importState(),
      importState({ status: 'done', rows_done: 5000, rows_imported: 4998, rows_failed: 2, seconds_left: 0, finished_at: '2026-11-30T07:00:04Z' }),
    ];
    const { calls } = serve([
      (_request, url) => {
        if (url.pathname === '/api/imports/42') return jsonResponse(200, answers.length > 1 ? answers.shift() : answers[0]);
        return undefined;
      },
    ]);
    renderPage('/import?import=42');

    expect(await screen.findByText('Waiting for the worker…')).toBeInTheDocument();
    expect(screen.getByTestId('rows-text')).toHaveTextContent('0 rows so far');

    await vi.advanceTimersByTimeAsync(1_100);
    expect(await screen.findByText('1,234 of 5,000 rows · 24%')).toBeInTheDocument();
    expect(screen.getByTestId('rate-text')).toHaveTextContent('2,468 rows/s · 3 min 20 s left');
    expect(screen.getByRole('progressbar', { name: 'Import progress' })).toHaveAttribute('aria-valuenow', String((1234 / 5000) * 100));
    expect(screen.getByTestId('rows-failed')).toHaveTextContent('1');

    await vi.advanceTimersByTimeAsync(1_100);
    const summary = await screen.findByTestId('import-summary');
    expect(summary).toHaveTextContent('Import finished: 4,998 rows imported, 2 rows with errors.');
    expect(within(summary).getByRole('link', { name: 'Download error file (2 rows)' })).toHaveAttribute('href', '/api/imports/42/errors.csv');
    expect(within(summary).getByRole('link', { name: 'See orders' })).toHaveAttribute('href', '/orders');
    expect(within(summary).getByRole('link', { name: 'See customers' })).toHaveAttribute('href', '/customers');
    expect(screen.queryByRole('button', { name: 'Cancel import' })).not.toBeInTheDocument();

    // Finished: no more polling.
    const polls = calls.filter((c) => c === 'GET /api/imports/42').length;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(calls.filter((c) => c === 'GET /api/imports/42').length).toBe(polls);
  });

  it('cancels only after confirmation', async () => {
    let cancelled = false;
    const { calls } = serve([
      (request, url) => {
        if (url.pathname === '/api/imports/42/cancel' && request.method === 'POST') {
          cancelled = true;
          return jsonResponse(202, importState());
        }
        if (url.pathname === '/api/imports/42') {
          return jsonResponse(200, cancelled ? importState({ status: 'cancelled', finished_at: '2026-11-30T07:00:04Z' }) : importState());
        }
        return undefined;
      },
    ]);
    renderPage('/import?import=42');
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel import' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel the import of orders_export.csv?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Keep importing' }));
    expect(calls).not.toContain('POST /api/imports/42/cancel');

    await userEvent.click(screen.getByRole('button', { name: 'Cancel import' }));
    const again = await screen.findByRole('dialog', { name: 'Cancel the import of orders_export.csv?' });
    await userEvent.click(within(again).getByRole('button', { name: 'Cancel import' }));
    await waitFor(() => {
      expect(calls).toContain('POST /api/imports/42/cancel');
    });
    expect(await screen.findByTestId('import-summary')).toHaveTextContent(/^CancelledImport cancelled: 1,233 rows imported, 1 row with errors/);
  });

  it('says when the import in the URL does not exist', async () => {
    serve([]);
    renderPage('/import?import=999');
    expect(await screen.findByRole('alert')).toHaveTextContent('This import does not exist');
    await userEvent.click(screen.getByRole('button', { name: 'Start a new import' }));
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/import$/);
  });
});

describe('ImportPage: history', () => {
  it('lists past imports with status, counts, who, and their error files', async () => {
    serve([
      (request, url) => {
        if (url.pathname === '/api/imports' && request.method === 'GET') {
          return jsonResponse(200, {
            items: [
              importState({ id: 7, status: 'done', rows_imported: 10, rows_failed: 3, filename: 'a.csv' }),
              importState({ id: 6, status: 'failed', rows_imported: 0, rows_failed: 0, filename: 'b.csv', kind: 'customers', error: 'boom' }),
            ],
          });
        }
        return undefined;
      },
    ]);
    renderPage('/import');
    const table = await screen.findByRole('table', { name: 'Past imports' });
    const rows = await within(table).findAllByTestId('history-row');
    expect(rows).toHaveLength(2);
    const [done, failed] = rows;
    if (done === undefined || failed === undefined) throw new Error('two rows expected');
    expect(done).toHaveTextContent('a.csv');
    expect(done).toHaveTextContent('Done');
    expect(done).toHaveTextContent('10 imported · 3 failed');
    expect(done).toHaveTextContent('Ada Admin');
    expect(within(done).getByRole('link', { name: 'Error file of a.csv, import 7' })).toHaveAttribute('href', '/api/imports/7/errors.csv');
    expect(within(done).getByRole('link', { name: 'a.csv' })).toHaveAttribute('href', '/import?import=7');
    expect(failed).toHaveTextContent('Failed');
    expect(within(failed).queryByRole('link', { name: /Error file/ })).not.toBeInTheDocument();
  });

  it('says when there are no imports yet', async () => {
    serve([]);
    renderPage('/import');
    expect(await screen.findByTestId('history-empty')).toHaveTextContent('No imports yet');
  });
});
