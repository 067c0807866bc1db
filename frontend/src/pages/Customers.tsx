import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMemo, useRef, useState } from 'react';

import type { CustomerOut, CustomerSort } from '@/api/client';
import { useCustomersList } from '@/api/queries/customers';
import { canWrite, useCurrentUser } from '@/components/currentUser';
import { DetailPanels } from '@/components/DetailPanels';
import { FilterChips } from '@/components/FilterChips';
import { IconFilter, IconPencil, IconPlus } from '@/components/icons';
import { ListPagination } from '@/components/Pagination';
import { ListQueryError } from '@/components/QueryError';
import { SearchInput } from '@/components/SearchInput';
import { SortSelect } from '@/components/SortSelect';
import type { SortOption } from '@/components/SortSelect';
import { TABLE_BREAKPOINT, useBelow } from '@/components/useBreakpoint';
import { usePanelNavigation } from '@/components/usePanelNavigation';
import { CustomerFiltersDrawer } from '@/features/customers/CustomerFiltersDrawer';
import { CustomerFormModal } from '@/features/customers/CustomerFormModal';
import { CustomerList } from '@/features/customers/CustomerList';
import { CustomersTable } from '@/features/customers/CustomersTable';
import {
  activeFilterCount,
  customerListCodec,
  EMPTY_FILTERS,
  filterChips,
  pickFilters,
  toCustomersQuery,
} from '@/features/customers/listState';
import { useUrlListState } from '@/lib/useUrlListState';

type Editing = { customer: CustomerOut | null } | null;

/** The orders the compact list offers (the table sorts by any column header). */
const SORT_OPTIONS: readonly SortOption<CustomerSort>[] = [
  { sort: 'created_at', dir: 'desc', label: 'Newest customers' },
  { sort: 'name', dir: 'asc', label: 'Name A–Z' },
  { sort: 'total_spend', dir: 'desc', label: 'Highest spend' },
  { sort: 'total_orders', dir: 'desc', label: 'Most orders' },
  { sort: 'last_order_at', dir: 'desc', label: 'Latest order' },
];

export default function CustomersPage() {
  const user = useCurrentUser();
  const writer = canWrite(user.role);
  const [state, update] = useUrlListState(customerListCodec);
  const query = useMemo(() => toCustomersQuery(state), [state]);
  const list = useCustomersList(query);
  const { customerHref } = usePanelNavigation();
  const [filtersOpen, filtersDrawer] = useDisclosure(false);
  const [editing, setEditing] = useState<Editing>(null);
  const compact = useBelow(TABLE_BREAKPOINT);
  const listTop = useRef<HTMLDivElement>(null);

  const filters = pickFilters(state);
  const filterCount = activeFilterCount(filters);
  const chips = filterChips(filters).map((chip) => ({ ...chip, onRemove: () => update(chip.clear) }));
  const searching = filterCount > 0 || state.q !== '';
  const page = list.data;
  // Without a previous page this is the first one, whatever the URL's page number says.
  const pageNumber = page?.prev_cursor === null ? 1 : state.page;

  const clearAll = () => update({ ...EMPTY_FILTERS, q: '' });
  const hrefFor = (customer: CustomerOut) => customerHref(customer.id);
  const onEdit = writer ? (customer: CustomerOut) => setEditing({ customer }) : undefined;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Customers</Title>
          <Text c="dimmed" size="sm">
            Every customer with their orders, spend and activity.
          </Text>
        </div>
        {writer && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({ customer: null })}>
            New customer
          </Button>
        )}
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
          <Group gap="sm" align="flex-end" wrap="wrap">
            <SearchInput
              label="Search customers"
              placeholder="Name, email or phone"
              value={state.q}
              onSearch={(q) => update({ q }, { replace: true })}
              w={{ base: '100%', sm: 360 }}
            />
            <Button
              variant="default"
              leftSection={<IconFilter size={16} />}
              rightSection={
                filterCount > 0 ? (
                  <Badge size="sm" circle aria-label={`${String(filterCount)} active`}>
                    {filterCount}
                  </Badge>
                ) : null
              }
              onClick={filtersDrawer.open}
            >
              Filters
            </Button>
            {compact && (
              <SortSelect options={SORT_OPTIONS} sort={state.sort} dir={state.dir} onChange={(sort, dir) => update({ sort, dir })} />
            )}
          </Group>

          {searching && (
            <FilterChips chips={chips}>
              <Button variant="subtle" size="xs" onClick={clearAll}>
                Clear filters
              </Button>
            </FilterChips>
          )}

          {list.isError ? (
            <ListQueryError
              title="Could not load customers"
              error={list.error}
              onCursor={state.cursor !== undefined}
              onFirstPage={() => update({ cursor: undefined, page: 1 })}
              onRetry={() => void list.refetch()}
              retrying={list.isFetching}
            />
          ) : page?.items.length === 0 ? (
            <Stack align="center" gap="xs" py="xl">
              <Text fw={600}>No customers match</Text>
              <Text size="sm" c="dimmed">
                {searching ? 'Try another search or fewer filters.' : 'There are no customers yet.'}
              </Text>
              {searching && (
                <Button variant="light" onClick={clearAll}>
                  Clear filters
                </Button>
              )}
            </Stack>
          ) : compact ? (
            <CustomerList
              customers={page?.items ?? []}
              loading={page === undefined}
              dimmed={list.isPlaceholderData}
              customerHref={hrefFor}
              onEdit={onEdit}
            />
          ) : (
            <CustomersTable
                customers={page?.items ?? []}
                loading={page === undefined}
                dimmed={list.isPlaceholderData}
                sort={state.sort}
                direction={state.dir}
                onSort={(sort, dir) => update({ sort, dir })}
                customerHref={hrefFor}
                onEdit={onEdit}
              />
          )}

          {page !== undefined && page.items.length > 0 && (
            <ListPagination
              label="Customers pages"
              page={page}
              paging={{ ...state, page: pageNumber }}
              onChange={update}
              disabled={list.isPlaceholderData}
              listTop={listTop}
            />
          )}
        </Stack>
      </Card>

      <CustomerFiltersDrawer
        opened={filtersOpen}
        onClose={filtersDrawer.close}
        value={filters}
        onApply={(next) => {
          update(next);
          filtersDrawer.close();
        }}
      />

      <CustomerFormModal
        opened={editing !== null}
        customer={editing?.customer ?? null}
        onClose={() => setEditing(null)}
      />

      <DetailPanels
        customerActions={
          writer
            ? (details) => (
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<IconPencil size={14} />}
                  onClick={() => setEditing({ customer: details.customer })}
                >
                  Edit
                </Button>
              )
            : undefined
        }
      />
    </Stack>
  );
}
