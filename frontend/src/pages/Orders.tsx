import { Button } from '@mantine/core';
import { useMemo } from 'react';

import type { OrderSort } from '@/api/client';
import { useOrdersList } from '@/api/queries/orders';
import { ListPage } from '@/components/ListPage';
import { SearchInput } from '@/components/SearchInput';
import { SortSelect } from '@/components/SortSelect';
import type { SortOption } from '@/components/SortSelect';
import { orderListCodec, toOrdersQuery } from '@/features/orders/listState';
import { OrderList } from '@/features/orders/OrderList';
import { OrdersTable } from '@/features/orders/OrdersTable';
import { OrderStatusTabs } from '@/features/orders/OrderStatusTabs';
import { PlacedDateRange } from '@/features/orders/PlacedDateRange';
import { csvHref } from '@/lib/csvHref';
import { humanize } from '@/lib/format';
import { usePanelNavigation } from '@/lib/usePanelNavigation';
import { useUrlListState } from '@/lib/useUrlListState';

import { DetailPanels } from './DetailPanels';

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
  const page = list.data;
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
  // The customer filter is the one a chip shows; the inputs above show the others.
  const chips =
    state.customerId === undefined
      ? []
      : [
          {
            key: 'customer',
            label: `Customer: ${customerName ?? `#${String(state.customerId)}`}`,
            onRemove: () => update({ customerId: undefined }),
          },
        ];

  return (
    <ListPage
      title="Orders"
      description="Orders and their items, searchable and sortable."
      actions={
        <Button component="a" href={csvHref('/api/orders.csv', query)} download variant="default" data-testid="export-csv">
          Export CSV
        </Button>
      }
      above={
        <OrderStatusTabs
          value={state.status}
          counts={page?.status_counts}
          exact={page?.status_counts_exact}
          onChange={(status) => update({ status })}
        />
      }
      controlsAlign="flex-start"
      controls={
        <>
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
        </>
      }
      sortSelect={
        <SortSelect options={SORT_OPTIONS} sort={state.sort} dir={state.dir} onChange={(sort, dir) => update({ sort, dir })} />
      }
      appliedFilters={searching ? { chips, onClear: clearAll } : undefined}
      query={list}
      errorTitle="Could not load orders"
      empty={{
        title: 'No orders match',
        message:
          state.status !== undefined
            ? `No ${humanize(state.status).toLowerCase()} orders${searching ? ' with these filters' : ''}.`
            : 'Try another search or fewer filters.',
        action: searching ? { label: 'Clear filters', onClick: clearAll } : undefined,
      }}
      table={({ items, loading, dimmed }) => (
        <OrdersTable
          orders={items}
          loading={loading}
          dimmed={dimmed}
          sort={state.sort}
          direction={state.dir}
          onSort={(sort, dir) => update({ sort, dir })}
          orderHref={orderHref}
          customerHref={customerHref}
        />
      )}
      cards={({ items, loading, dimmed }) => (
        <OrderList orders={items} loading={loading} dimmed={dimmed} orderHref={orderHref} customerHref={customerHref} />
      )}
      pagination={{ label: 'Orders pages', paging: state, onChange: update }}
    >
      <DetailPanels />
    </ListPage>
  );
}
