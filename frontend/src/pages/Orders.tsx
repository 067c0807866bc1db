import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMemo, useRef } from 'react';

import type { OrderSort } from '@/api/client';
import { useOrdersList } from '@/api/queries/orders';
import { DetailPanels } from '@/components/DetailPanels';
import { FilterChips } from '@/components/FilterChips';
import { ListPagination } from '@/components/Pagination';
import { ListQueryError } from '@/components/QueryError';
import { SearchInput } from '@/components/SearchInput';
import { SortSelect } from '@/components/SortSelect';
import type { SortOption } from '@/components/SortSelect';
import { TABLE_BREAKPOINT, useBelow } from '@/components/useBreakpoint';
import { usePanelNavigation } from '@/components/usePanelNavigation';
import { orderListCodec, toOrdersQuery } from '@/features/orders/listState';
import { OrderList } from '@/features/orders/OrderList';
import { OrdersTable } from '@/features/orders/OrdersTable';
import { OrderStatusTabs } from '@/features/orders/OrderStatusTabs';
import { PlacedDateRange } from '@/features/orders/PlacedDateRange';
import { humanize } from '@/lib/format';
import { useUrlListState } from '@/lib/useUrlListState';

/** The orders the compact list offers (the table sorts by its column headers). */
const SORT_OPTIONS: readonly SortOption<OrderSort>[] = [
  { sort: 'placed_at', dir: 'desc', label: 'Newest first' },
  { sort: 'placed_at', dir: 'asc', label: 'Oldest first' },
  { sort: 'total_amount', dir: 'desc', label: 'Highest total' },
  { sort: 'order_number', dir: 'asc', label: 'Order number' },
];

export default function OrdersPage() {
  const [state, update] = useUrlListState(orderListCodec);
  const query = useMemo(() => toOrdersQuery(state), [state]);
  const list = useOrdersList(query);
  const { customerHref, orderHref } = usePanelNavigation();
  const compact = useBelow(TABLE_BREAKPOINT);
  const listTop = useRef<HTMLDivElement>(null);
  const page = list.data;
  const pageNumber = page?.prev_cursor === null ? 1 : state.page;
  const searching =
    state.number !== '' ||
    state.q !== '' ||
    state.placedFrom !== undefined ||
    state.placedTo !== undefined ||
    state.customerId !== undefined;
  const clearAll = () =>
    update({ number: '', q: '', placedFrom: undefined, placedTo: undefined, customerId: undefined });
  const customerName =
    state.customerId !== undefined ? page?.items.find((o) => o.customer_id === state.customerId)?.customer_name : undefined;

  return (
    <Stack gap="md">
      <div>
        <Title order={1}>Orders</Title>
        <Text c="dimmed" size="sm">
          Orders and their items, searchable and sortable.
        </Text>
      </div>

      {/* Visible overflow: a clipping card would stop the table header from sticking to the page. */}
      <Card
        withBorder
        radius="md"
        padding="md"
        ref={listTop}
        style={{ overflow: 'visible', scrollMarginTop: 'calc(var(--app-shell-header-height, 0px) + 8px)' }}
      >
        <Stack gap="md">
          <OrderStatusTabs
            value={state.status}
            counts={page?.status_counts}
            onChange={(status) => update({ status })}
          />

          <Group gap="sm" align="flex-start" wrap="wrap">
            <SearchInput
              label="Order number"
              placeholder="e.g. SO-1099"
              value={state.number}
              onSearch={(number) => update({ number }, { replace: true })}
              w={{ base: '100%', sm: 200 }}
            />
            <SearchInput
              label="Customer"
              placeholder="Name or email"
              value={state.q}
              onSearch={(q) => update({ q }, { replace: true })}
              w={{ base: '100%', sm: 260 }}
            />
            <PlacedDateRange
              value={{ from: state.placedFrom, to: state.placedTo }}
              onChange={({ from, to }) => update({ placedFrom: from, placedTo: to })}
            />
            {compact && (
              <SortSelect options={SORT_OPTIONS} sort={state.sort} dir={state.dir} onChange={(sort, dir) => update({ sort, dir })} />
            )}
          </Group>

          {searching && (
            <FilterChips
              chips={
                state.customerId === undefined
                  ? []
                  : [
                      {
                        key: 'customer',
                        label: `Customer: ${customerName ?? `#${String(state.customerId)}`}`,
                        onRemove: () => update({ customerId: undefined }),
                      },
                    ]
              }
            >
              <Button variant="subtle" size="xs" onClick={clearAll}>
                Clear filters
              </Button>
            </FilterChips>
          )}

          {list.isError ? (
            <ListQueryError
              title="Could not load orders"
              error={list.error}
              onCursor={state.cursor !== undefined}
              onFirstPage={() => update({ cursor: undefined, page: 1 })}
              onRetry={() => void list.refetch()}
              retrying={list.isFetching}
            />
          ) : page?.items.length === 0 ? (
            <Stack align="center" gap="xs" py="xl">
              <Text fw={600}>No orders match</Text>
              <Text size="sm" c="dimmed">
                {state.status !== undefined
                  ? `No ${humanize(state.status).toLowerCase()} orders${searching ? ' with these filters' : ''}.`
                  : 'Try another search or fewer filters.'}
              </Text>
              {searching && (
                <Button variant="light" onClick={clearAll}>
                  Clear filters
                </Button>
              )}
            </Stack>
          ) : compact ? (
            <OrderList
              orders={page?.items ?? []}
              loading={page === undefined}
              dimmed={list.isPlaceholderData}
              orderHref={orderHref}
              customerHref={customerHref}
            />
          ) : (
            <OrdersTable
              orders={page?.items ?? []}
              loading={page === undefined}
              dimmed={list.isPlaceholderData}
              sort={state.sort}
              direction={state.dir}
              onSort={(sort, dir) => update({ sort, dir })}
              orderHref={orderHref}
              customerHref={customerHref}
            />
          )}

          {page !== undefined && page.items.length > 0 && (
            <ListPagination
              label="Orders pages"
              page={page}
              paging={{ ...state, page: pageNumber }}
              onChange={update}
              disabled={list.isPlaceholderData}
              listTop={listTop}
            />
          )}
        </Stack>
      </Card>

      <DetailPanels />
    </Stack>
  );
}
