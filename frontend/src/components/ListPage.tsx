import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useRef } from 'react';
import type { ReactNode } from 'react';

import type { Paging } from '@/lib/listState';

import { FilterChips } from './FilterChips';
import type { FilterChip } from './FilterChips';
import { ListPagination } from './Pagination';
import type { CursorPage } from './Pagination';
import { ListQueryError } from './QueryError';
import { TABLE_BREAKPOINT, useBelow } from './useBreakpoint';

/** The part of a list query the shell reads (a TanStack Query result fits as it is). */
export type ListPageQuery<TData> = {
  data: TData | undefined;
  error: Error | null;
  isError: boolean;
  isFetching: boolean;
  /** The rows are the previous answer while the next one loads (`keepPreviousData`). */
  isPlaceholderData: boolean;
  refetch: () => unknown;
};

/** What the table and the compact list render. */
export type ListView<TItem> = {
  items: TItem[];
  /** Nothing to show yet: the first answer is on its way (render skeleton rows). */
  loading: boolean;
  /** The rows shown are the previous answer while the next one loads (render them faded). */
  dimmed: boolean;
};

/** The list had no rows: say why, and offer the way out when there is one. */
export type ListEmptyState = {
  title: string;
  message: ReactNode;
  action?: { label: string; onClick: () => void };
};

/** Cursor paging kept in the URL (`useUrlListState`). */
export type ListPaging = {
  /** Names the pagination for assistive technology, e.g. "Customers pages". */
  label: string;
  paging: Paging;
  onChange: (patch: Partial<Paging>) => void;
};

type ListPageCommon<TItem> = {
  /** The page's one `h1`. */
  title: string;
  /** One line under the title. */
  description: ReactNode;
  /** Beside the title, e.g. a "New customer" button. */
  actions?: ReactNode;
  /** At the top of the list's card, above the controls (e.g. status tabs). */
  above?: ReactNode;
  /** Search inputs and filter buttons, in one wrapping row. */
  controls?: ReactNode;
  /** How the controls line up: at their bottom edge (default) or their top (controls with hints). */
  controlsAlign?: 'flex-start' | 'flex-end';
  /** A "Sort by" select: only in the compact layout, since the table sorts by its headers. */
  sortSelect?: ReactNode;
  /** The filters in force, as removable chips with "Clear filters"; leave out when none apply. */
  appliedFilters?: { chips: readonly FilterChip[]; onClear: () => void };
  /** Title of the error shown when the list cannot load, e.g. "Could not load customers". */
  errorTitle: string;
  empty: ListEmptyState;
  /** The rows as a table: from `TABLE_BREAKPOINT` up, or at every width when there is no `cards`. */
  table: (view: ListView<TItem>) => ReactNode;
  /** The rows as a compact card list, below `TABLE_BREAKPOINT`. */
  cards?: (view: ListView<TItem>) => ReactNode;
  /** What belongs to the page outside the list: dialogs, drawers, details panels. */
  children?: ReactNode;
};

export type ListPageProps<TItem> = ListPageCommon<TItem> &
  (
    | {
        /** A keyset-paginated answer: previous / next, page size and "Showing x–y of n" below the rows. */
        query: ListPageQuery<{ items: TItem[] } & CursorPage>;
        pagination: ListPaging;
      }
    | { query: ListPageQuery<{ items: TItem[] }>; pagination?: undefined }
  );

/**
 * One list page: the title and its actions, a card holding the controls, the applied filters, the
 * rows (a table on wide screens, compact cards on narrow ones), the error with its way out, the empty
 * state, and the pagination. Customers, Orders and Users use it, and every list to come (inventory,
 * segments, flows) should, so they look and behave alike.
 *
 * Loading shows the table's or the cards' own skeleton; a failed load on a deep page offers "Back
 * to the first page" (the cursor may be what is wrong) instead of a plain Retry; Previous / Next
 * scroll back to the top of the card.
 */
export function ListPage<TItem>(props: ListPageProps<TItem>) {
  const { title, description, actions, above, controls, controlsAlign = 'flex-end', sortSelect } = props;
  const { appliedFilters, errorTitle, empty, table, cards, children, query } = props;
  const below = useBelow(TABLE_BREAKPOINT);
  const compact = cards !== undefined && below;
  const listTop = useRef<HTMLDivElement>(null);
  const data = query.data;
  const onCursor = props.pagination?.paging.cursor !== undefined;

  const view: ListView<TItem> = { items: data?.items ?? [], loading: data === undefined, dimmed: query.isPlaceholderData };

  let body: ReactNode;
  if (query.isError && query.error !== null) {
    body = (
      <ListQueryError
        title={errorTitle}
        error={query.error}
        onCursor={onCursor}
        onFirstPage={() => props.pagination?.onChange({ cursor: undefined, page: 1 })}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  } else if (data?.items.length === 0) {
    body = <EmptyState {...empty} />;
  } else {
    body = compact ? cards(view) : table(view);
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{title}</Title>
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        </div>
        {actions}
      </Group>

      {/* Visible overflow: a clipping card would stop the table header from sticking to the page. */}
      <Card
        withBorder
        radius="md"
        padding="md"
        ref={listTop}
        style={{ overflow: 'visible', scrollMarginTop: 'calc(var(--app-shell-header-height, 0px) + 8px)' }}
      >
        <Stack gap="md">
          {above}

          {(controls !== undefined || (compact && sortSelect !== undefined)) && (
            <Group gap="sm" align={controlsAlign} wrap="wrap">
              {controls}
              {compact && sortSelect}
            </Group>
          )}

          {appliedFilters !== undefined && (
            <FilterChips chips={appliedFilters.chips}>
              <Button variant="subtle" size="xs" onClick={appliedFilters.onClear}>
                Clear filters
              </Button>
            </FilterChips>
          )}

          {body}

          {props.pagination !== undefined && props.query.data !== undefined && props.query.data.items.length > 0 && (
            <ListPagination
              label={props.pagination.label}
              page={props.query.data}
              // Without a previous page this is the first one, whatever the URL's page number says.
              paging={{
                ...props.pagination.paging,
                page: props.query.data.prev_cursor === null ? 1 : props.pagination.paging.page,
              }}
              onChange={props.pagination.onChange}
              disabled={query.isPlaceholderData}
              listTop={listTop}
            />
          )}
        </Stack>
      </Card>

      {children}
    </Stack>
  );
}

function EmptyState({ title, message, action }: ListEmptyState) {
  return (
    <Stack align="center" gap="xs" py="xl">
      <Text fw={600}>{title}</Text>
      <Text size="sm" c="dimmed">
        {message}
      </Text>
      {action !== undefined && (
        <Button variant="light" onClick={action.onClick}>
          {action.label}
        </Button>
      )}
    </Stack>
  );
}
