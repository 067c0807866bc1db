import { Badge, Button, Group } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMemo, useState } from 'react';

import type { CustomerOut, CustomerSort } from '@/api/client';
import { useCustomersList } from '@/api/queries/customers';
import { canWrite, useCurrentUser } from '@/components/currentUser';
import { IconFilter, IconPencil, IconPlus } from '@/components/icons';
import { ListPage } from '@/components/ListPage';
import { SearchInput } from '@/components/SearchInput';
import { SortSelect } from '@/components/SortSelect';
import type { SortOption } from '@/components/SortSelect';
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
import { csvHref } from '@/lib/csvHref';
import { usePanelNavigation } from '@/lib/usePanelNavigation';
import { useUrlListState } from '@/lib/useUrlListState';

import { DetailPanels } from './DetailPanels';

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

  const filters = pickFilters(state);
  const filterCount = activeFilterCount(filters);
  const chips = filterChips(filters).map((chip) => ({ ...chip, onRemove: () => update(chip.clear) }));
  const searching = filterCount > 0 || state.q !== '';

  const clearAll = () => update({ ...EMPTY_FILTERS, q: '' });
  const hrefFor = (customer: CustomerOut) => customerHref(customer.id);
  const onEdit = writer ? (customer: CustomerOut) => setEditing({ customer }) : undefined;

  return (
    <ListPage
      title="Customers"
      description="Every customer with their orders, spend and activity."
      actions={
        <Group gap="sm">
          <Button component="a" href={csvHref('/api/customers.csv', query)} download variant="default" data-testid="export-csv">
            Export CSV
          </Button>
          {writer && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({ customer: null })}>
              New customer
            </Button>
          )}
        </Group>
      }
      controls={
        <>
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
        </>
      }
      sortSelect={
        <SortSelect options={SORT_OPTIONS} sort={state.sort} dir={state.dir} onChange={(sort, dir) => update({ sort, dir })} />
      }
      appliedFilters={searching ? { chips, onClear: clearAll } : undefined}
      query={list}
      errorTitle="Could not load customers"
      empty={{
        title: 'No customers match',
        message: searching ? 'Try another search or fewer filters.' : 'There are no customers yet.',
        action: searching ? { label: 'Clear filters', onClick: clearAll } : undefined,
      }}
      table={({ items, loading, dimmed }) => (
        <CustomersTable
          customers={items}
          loading={loading}
          dimmed={dimmed}
          sort={state.sort}
          direction={state.dir}
          onSort={(sort, dir) => update({ sort, dir })}
          customerHref={hrefFor}
          onEdit={onEdit}
        />
      )}
      cards={({ items, loading, dimmed }) => (
        <CustomerList customers={items} loading={loading} dimmed={dimmed} customerHref={hrefFor} onEdit={onEdit} />
      )}
      pagination={{ label: 'Customers pages', paging: state, onChange: update }}
    >
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
            ? (details) =>
                // An erased person's record cannot be edited (the server answers 409): no button to try.
                details.customer.erased_at === null && (
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
    </ListPage>
  );
}
