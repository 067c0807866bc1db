import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { ApiError } from '@/api/errors';
import { renderWithProviders } from '@/test/render';

import { ListPage } from './ListPage';
import type { ListPageQuery, ListPaging, ListView } from './ListPage';

type Row = { id: number; name: string };
type RowPage = {
  items: Row[];
  total: number;
  total_exact: boolean;
  prev_cursor: string | null;
  next_cursor: string | null;
};

const ROWS: Row[] = [
  { id: 1, name: 'Ada' },
  { id: 2, name: 'Grace' },
];

function page(items: Row[], { prev = null, next = null }: { prev?: string | null; next?: string | null } = {}): RowPage {
  return { items, total: items.length, total_exact: true, prev_cursor: prev, next_cursor: next };
}

function query(overrides: Partial<ListPageQuery<RowPage>> = {}): ListPageQuery<RowPage> {
  return {
    data: undefined,
    error: null,
    isError: false,
    isFetching: false,
    isPlaceholderData: false,
    refetch: vi.fn(),
    ...overrides,
  };
}

function failed(error: Error): ListPageQuery<RowPage> {
  return query({ error, isError: true });
}

function paging(overrides: Partial<ListPaging['paging']> = {}): ListPaging {
  return { label: 'Rows pages', paging: { limit: 25, cursor: undefined, page: 1, ...overrides }, onChange: vi.fn() };
}

function Table({ items, loading, dimmed }: ListView<Row>) {
  return (
    <table aria-label="Rows" data-loading={loading} data-dimmed={dimmed}>
      <tbody>
        {items.map((row) => (
          <tr key={row.id}>
            <td>{row.name}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Cards({ items }: ListView<Row>) {
  return (
    <ul aria-label="Rows">
      {items.map((row) => (
        <li key={row.id}>{row.name}</li>
      ))}
    </ul>
  );
}

const EMPTY = { title: 'No rows match', message: 'Try another search.' };

describe('ListPage', () => {
  it('shows the title, its actions, the rows and the pagination', () => {
    renderWithProviders(
      <ListPage
        title="Rows"
        description="Every row."
        actions={<button type="button">New row</button>}
        query={query({ data: page(ROWS) })}
        errorTitle="Could not load rows"
        empty={EMPTY}
        table={Table}
        pagination={paging()}
      />,
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Rows' })).toBeInTheDocument();
    expect(screen.getByText('Every row.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'New row' })).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Rows' })).getAllByRole('row')).toHaveLength(2);
    expect(screen.getByRole('navigation', { name: 'Rows pages' })).toBeInTheDocument();
    expect(screen.getByTestId('range-text')).toHaveTextContent('Showing 1–2 of 2');
  });

  it('counts from 1 when the answer has no previous page, whatever the URL says', () => {
    renderWithProviders(
      <ListPage
        title="Rows"
        description=""
        query={query({ data: page(ROWS) })}
        errorTitle="Could not load rows"
        empty={EMPTY}
        table={Table}
        pagination={paging({ cursor: 'stale', page: 7 })}
      />,
    );
    expect(screen.getByTestId('range-text')).toHaveTextContent('Showing 1–2 of 2');
  });

  it('hands the table loading rows until the first answer, and faded rows while the next one loads', () => {
    const first = renderWithProviders(
      <ListPage title="Rows" description="" query={query()} errorTitle="x" empty={EMPTY} table={Table} />,
    );
    expect(screen.getByRole('table', { name: 'Rows' })).toHaveAttribute('data-loading', 'true');
    expect(screen.queryByText(EMPTY.title)).not.toBeInTheDocument();
    first.unmount();

    renderWithProviders(
      <ListPage
        title="Rows"
        description=""
        query={query({ data: page(ROWS), isPlaceholderData: true })}
        errorTitle="x"
        empty={EMPTY}
        table={Table}
      />,
    );
    const table = screen.getByRole('table', { name: 'Rows' });
    expect(table).toHaveAttribute('data-loading', 'false');
    expect(table).toHaveAttribute('data-dimmed', 'true');
  });

  describe('empty state', () => {
    it('says why there are no rows and offers its action, with no table and no pagination', async () => {
      const onClear = vi.fn();
      renderWithProviders(
        <ListPage
          title="Rows"
          description=""
          query={query({ data: page([]) })}
          errorTitle="Could not load rows"
          empty={{ ...EMPTY, action: { label: 'Clear filters', onClick: onClear } }}
          table={Table}
          pagination={paging()}
        />,
      );
      expect(screen.getByText('No rows match')).toBeInTheDocument();
      expect(screen.getByText('Try another search.')).toBeInTheDocument();
      expect(screen.queryByRole('table')).not.toBeInTheDocument();
      expect(screen.queryByRole('navigation', { name: 'Rows pages' })).not.toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
      expect(onClear).toHaveBeenCalledTimes(1);
    });

    it('has no button when there is no way out', () => {
      renderWithProviders(
        <ListPage title="Rows" description="" query={query({ data: page([]) })} errorTitle="x" empty={EMPTY} table={Table} />,
      );
      expect(screen.getByText('No rows match')).toBeInTheDocument();
      expect(screen.queryByRole('button')).not.toBeInTheDocument();
    });

    it('keeps the applied filters in view, each removable, with Clear filters', async () => {
      const onRemove = vi.fn();
      const onClear = vi.fn();
      renderWithProviders(
        <ListPage
          title="Rows"
          description=""
          query={query({ data: page([]) })}
          errorTitle="x"
          empty={EMPTY}
          table={Table}
          appliedFilters={{ chips: [{ key: 'tier', label: 'Tier: Gold', onRemove }], onClear }}
        />,
      );
      const filters = screen.getByRole('group', { name: 'Active filters' });
      await userEvent.click(within(filters).getByRole('button', { name: 'Remove filter Tier: Gold' }));
      await userEvent.click(within(filters).getByRole('button', { name: 'Clear filters' }));
      expect(onRemove).toHaveBeenCalledTimes(1);
      expect(onClear).toHaveBeenCalledTimes(1);
    });
  });

  describe('error state', () => {
    it('shows the error with Retry, which loads the list again', async () => {
      const failure = failed(new ApiError({ status: 500, code: 'internal', message: 'Boom' }));
      renderWithProviders(
        <ListPage
          title="Rows"
          description=""
          query={failure}
          errorTitle="Could not load rows"
          empty={EMPTY}
          table={Table}
          pagination={paging()}
        />,
      );
      const alert = screen.getByRole('alert');
      expect(alert).toHaveTextContent('Could not load rows');
      expect(alert).toHaveTextContent('Boom');
      expect(screen.queryByRole('table')).not.toBeInTheDocument();
      expect(screen.queryByText(EMPTY.title)).not.toBeInTheDocument();
      await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
      expect(failure.refetch).toHaveBeenCalledTimes(1);
    });

    it('on a deep page, goes back to the first page instead (the cursor may be what is wrong)', async () => {
      const failure = failed(new ApiError({ status: 422, code: 'validation_error', message: 'Bad cursor' }));
      const pages = paging({ cursor: 'abc', page: 3 });
      renderWithProviders(
        <ListPage
          title="Rows"
          description=""
          query={failure}
          errorTitle="Could not load rows"
          empty={EMPTY}
          table={Table}
          pagination={pages}
        />,
      );
      expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Back to the first page' }));
      expect(pages.onChange).toHaveBeenCalledWith({ cursor: undefined, page: 1 });
      expect(failure.refetch).not.toHaveBeenCalled();
    });

    it('shows a failed refresh instead of the rows it kept', () => {
      renderWithProviders(
        <ListPage
          title="Rows"
          description=""
          query={{ ...failed(new Error('Offline')), data: page(ROWS) }}
          errorTitle="Could not load rows"
          empty={EMPTY}
          table={Table}
        />,
      );
      expect(screen.getByRole('alert')).toHaveTextContent('Offline');
      expect(screen.queryByRole('table')).not.toBeInTheDocument();
    });
  });

  describe('two layouts', () => {
    const narrow = () =>
      vi.spyOn(window, 'matchMedia').mockImplementation(
        (media: string) =>
          ({
            matches: true,
            media,
            onchange: null,
            addEventListener: () => undefined,
            removeEventListener: () => undefined,
            dispatchEvent: () => false,
          }) as unknown as MediaQueryList,
      );

    it('shows the table and no Sort by on a wide screen', () => {
      renderWithProviders(
        <ListPage
          title="Rows"
          description=""
          controls={<input aria-label="Search rows" />}
          sortSelect={<select aria-label="Sort by" />}
          query={query({ data: page(ROWS) })}
          errorTitle="x"
          empty={EMPTY}
          table={Table}
          cards={Cards}
        />,
      );
      expect(screen.getByRole('table', { name: 'Rows' })).toBeInTheDocument();
      expect(screen.getByRole('textbox', { name: 'Search rows' })).toBeInTheDocument();
      expect(screen.queryByRole('combobox', { name: 'Sort by' })).not.toBeInTheDocument();
    });

    it('shows the cards and a Sort by on a narrow screen', () => {
      narrow();
      renderWithProviders(
        <ListPage
          title="Rows"
          description=""
          controls={<input aria-label="Search rows" />}
          sortSelect={<select aria-label="Sort by" />}
          query={query({ data: page(ROWS) })}
          errorTitle="x"
          empty={EMPTY}
          table={Table}
          cards={Cards}
        />,
      );
      expect(screen.queryByRole('table')).not.toBeInTheDocument();
      expect(within(screen.getByRole('list', { name: 'Rows' })).getAllByRole('listitem')).toHaveLength(2);
      expect(screen.getByRole('combobox', { name: 'Sort by' })).toBeInTheDocument();
    });

    it('keeps the table at every width when the list has no cards', () => {
      narrow();
      renderWithProviders(
        <ListPage title="Rows" description="" query={query({ data: page(ROWS) })} errorTitle="x" empty={EMPTY} table={Table} />,
      );
      expect(screen.getByRole('table', { name: 'Rows' })).toBeInTheDocument();
    });
  });
});
