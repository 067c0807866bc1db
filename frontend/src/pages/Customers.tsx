import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMemo, useState } from 'react';

import type { CustomerOut } from '@/api/client';
import { useCustomersList } from '@/api/queries/customers';
import { canWrite, useCurrentUser } from '@/components/currentUser';
import { DetailPanels } from '@/components/DetailPanels';
import { IconFilter, IconPencil, IconPlus } from '@/components/icons';
import { ListPagination } from '@/components/Pagination';
import { ListQueryError } from '@/components/QueryError';
import { SearchInput } from '@/components/SearchInput';
import { usePanelNavigation } from '@/components/usePanelNavigation';
import { CustomerFiltersDrawer } from '@/features/customers/CustomerFiltersDrawer';
import { CustomerFormModal } from '@/features/customers/CustomerFormModal';
import { CustomersTable } from '@/features/customers/CustomersTable';
import {
  activeFilterCount,
  customerListCodec,
  EMPTY_FILTERS,
  pickFilters,
  toCustomersQuery,
} from '@/features/customers/listState';
import { useUrlListState } from '@/lib/useUrlListState';

type Editing = { customer: CustomerOut | null } | null;

export default function CustomersPage() {
  const user = useCurrentUser();
  const writer = canWrite(user.role);
  const [state, update] = useUrlListState(customerListCodec);
  const query = useMemo(() => toCustomersQuery(state), [state]);
  const list = useCustomersList(query);
  const { openCustomer } = usePanelNavigation();
  const [filtersOpen, filtersDrawer] = useDisclosure(false);
  const [editing, setEditing] = useState<Editing>(null);

  const filters = pickFilters(state);
  const filterCount = activeFilterCount(filters);
  const searching = filterCount > 0 || state.q !== '';
  const page = list.data;
  // Without a previous page this is the first one, whatever the URL's page number says.
  const pageNumber = page?.prev_cursor === null ? 1 : state.page;

  const clearAll = () => update({ ...EMPTY_FILTERS, q: '' });

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

      <Card withBorder radius="md" padding="md">
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
            {searching && (
              <Button variant="subtle" onClick={clearAll}>
                Clear filters
              </Button>
            )}
          </Group>

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
          ) : (
            <CustomersTable
              customers={page?.items ?? []}
              loading={page === undefined}
              dimmed={list.isPlaceholderData}
              sort={state.sort}
              direction={state.dir}
              onSort={(sort, dir) => update({ sort, dir })}
              onOpen={(customer) => openCustomer(customer.id)}
              onEdit={writer ? (customer) => setEditing({ customer }) : undefined}
            />
          )}

          {page !== undefined && page.items.length > 0 && (
            <ListPagination
              label="Customers pages"
              page={page}
              paging={{ ...state, page: pageNumber }}
              onChange={update}
              disabled={list.isPlaceholderData}
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
