import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { RuleGroupType } from 'react-querybuilder';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import { configureClientForTests, jsonResponse } from '@/test/render';

import { ALL_FIELDS } from './testFields';
import { fromApiTree } from './tree';
import { useLivePreview } from './useLivePreview';

/** Rendered with a fresh query cache that stays across rerenders. */
function renderWithProviders(ui: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  return render(ui, { wrapper });
}

const FIELDS = new Map(ALL_FIELDS.map((f) => [f.name, f]));

function spend(min: number | ''): RuleGroupType {
  return fromApiTree({ combinator: 'and', rules: [{ field: 'total_spend', operator: '>=', value: min }] });
}

function Probe({ query }: { query: RuleGroupType }) {
  const live = useLivePreview(query, FIELDS, { delay: 100 });
  return (
    <div>
      <span data-testid="count">{live.data?.count ?? 'none'}</span>
      <span data-testid="stale">{String(live.stale)}</span>
      <span data-testid="unfinished">{Object.values(live.unfinished).join(',')}</span>
      <span data-testid="error">{live.error?.message ?? ''}</span>
      <span data-testid="invalid">{JSON.stringify(live.invalid?.byPath ?? null)}</span>
    </div>
  );
}

type Body = { rules: { rules: { value: unknown }[] } };

/** A preview server: answers each tree's count after `delayFor(min)` ms; records what it was asked. */
function stubPreview(delayFor: (min: unknown) => number = () => 0) {
  const asked: unknown[] = [];
  const fetchMock = vi.fn(async (request: Request) => {
    const body = (await request.json()) as Body;
    const min = body.rules.rules[0]?.value;
    asked.push(min);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, delayFor(min));
      request.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new DOMException('aborted', 'AbortError'));
      });
    });
    return jsonResponse(200, { count: Number(min), items: [], rule_counts: [{ alone: Number(min), running: Number(min) }], took_ms: 1 });
  });
  vi.stubGlobal('fetch', fetchMock);
  return asked;
}

describe('useLivePreview', () => {
  beforeAll(() => {
    configureClientForTests();
  });

  it('counts once the rules stop changing, not on every keystroke', async () => {
    const asked = stubPreview();
    const { rerender } = renderWithProviders(<Probe query={spend(1)} />);
    await waitFor(() => expect(screen.getByTestId('count')).toHaveTextContent('1'));
    rerender(<Probe query={spend(12)} />);
    rerender(<Probe query={spend(123)} />);
    rerender(<Probe query={spend(1234)} />);
    expect(screen.getByTestId('stale')).toHaveTextContent('true');
    await waitFor(() => expect(screen.getByTestId('count')).toHaveTextContent('1234'));
    expect(screen.getByTestId('stale')).toHaveTextContent('false');
    expect(asked).toEqual([1, 1234]);
  });

  it('never shows the answer for older rules once newer ones are asked', async () => {
    // The first tree's answer is slow; the second one's is fast.
    const asked = stubPreview((min) => (min === 500 ? 400 : 0));
    const { rerender } = renderWithProviders(<Probe query={spend(500)} />);
    await waitFor(() => expect(asked).toEqual([500]));
    rerender(<Probe query={spend(700)} />);
    await waitFor(() => expect(screen.getByTestId('count')).toHaveTextContent('700'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(screen.getByTestId('count')).toHaveTextContent('700');
    expect(screen.getByTestId('stale')).toHaveTextContent('false');
  });

  it('does not count unfinished rules, and keeps the last count, marked stale', async () => {
    const asked = stubPreview();
    const { rerender } = renderWithProviders(<Probe query={spend(300)} />);
    await waitFor(() => expect(screen.getByTestId('count')).toHaveTextContent('300'));
    rerender(<Probe query={spend('')} />);
    await waitFor(() => expect(screen.getByTestId('unfinished')).toHaveTextContent('Enter a value'));
    expect(screen.getByTestId('count')).toHaveTextContent('300');
    expect(screen.getByTestId('stale')).toHaveTextContent('true');
    expect(asked).toEqual([300]);
  });

  it('turns a 422 into messages at the rules, and any other failure into an error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() =>
        Promise.resolve(
          jsonResponse(422, {
            error: {
              code: 'validation_error',
              message: 'rules.0.value: too large',
              details: [{ loc: ['body', 'rules', 'rules', 0, 'value'], message: 'too large', type: 'value_error' }],
            },
          }),
        ),
      ),
    );
    const { unmount } = renderWithProviders(<Probe query={spend(1)} />);
    await waitFor(() => expect(screen.getByTestId('invalid')).toHaveTextContent('{"0":["Too large"]}'));
    expect(screen.getByTestId('error')).toHaveTextContent('');
    unmount();

    vi.stubGlobal(
      'fetch',
      vi.fn(() =>
        Promise.resolve(jsonResponse(503, { error: { code: 'timeout', message: 'Counting took too long', details: null } })),
      ),
    );
    renderWithProviders(<Probe query={spend(2)} />);
    await waitFor(() => expect(screen.getByTestId('error')).toHaveTextContent('Counting took too long'));
  });
});
