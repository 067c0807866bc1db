import { ActionIcon, Anchor, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';

import type { CustomerOut, CustomerSort } from '@/api/client';
import { IconPencil } from '@/components/icons';
import { SkeletonRows } from '@/components/SkeletonRows';
import { SortableTh } from '@/components/SortableTh';
import { StatusBadge, TierBadge } from '@/components/StatusBadge';
import { formatDate, formatInteger, formatMoney } from '@/lib/format';
import type { SortDirection } from '@/lib/listState';

const COLUMN_COUNT = 10;

/** Columns where a user most likely wants the biggest / newest first. */
const DESC_FIRST: readonly CustomerSort[] = ['total_spend', 'total_orders', 'created_at', 'last_order_at'];

export function CustomersTable({
  customers,
  loading,
  sort,
  direction,
  onSort,
  onOpen,
  onEdit,
  dimmed = false,
}: {
  customers: CustomerOut[];
  loading: boolean;
  sort: CustomerSort;
  direction: SortDirection;
  onSort: (sort: CustomerSort, direction: SortDirection) => void;
  onOpen: (customer: CustomerOut) => void;
  /** Leave out for users who cannot edit. */
  onEdit?: (customer: CustomerOut) => void;
  /** The rows are the previous page while the next one loads. */
  dimmed?: boolean;
}) {
  const th = (column: CustomerSort, label: string, align: 'left' | 'right' = 'left') => (
    <SortableTh
      column={column}
      sort={sort}
      direction={direction}
      onSort={onSort}
      align={align}
      firstDirection={DESC_FIRST.includes(column) ? 'desc' : 'asc'}
    >
      {label}
    </SortableTh>
  );
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table
        striped
        highlightOnHover
        verticalSpacing="xs"
        aria-label="Customers"
        aria-busy={loading || dimmed}
        style={{ opacity: dimmed ? 0.6 : 1, transition: 'opacity 120ms', whiteSpace: 'nowrap' }}
      >
        <Table.Thead>
          <Table.Tr>
            {th('name', 'Name')}
            {th('email', 'Email')}
            {th('status', 'Status')}
            <Table.Th>Tier</Table.Th>
            {th('country', 'Country')}
            {th('total_orders', 'Orders', 'right')}
            {th('total_spend', 'Spend', 'right')}
            {th('created_at', 'Created')}
            {th('last_order_at', 'Last order')}
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {loading
            ? <SkeletonRows columns={COLUMN_COUNT} />
            : customers.map((customer) => {
                const name = `${customer.first_name} ${customer.last_name}`;
                return (
                  <Table.Tr key={customer.id}>
                    <Table.Td>
                      <Anchor component="button" type="button" fw={500} size="sm" onClick={() => onOpen(customer)}>
                        {name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" truncate maw={260}>
                        {customer.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={customer.status} size="sm" />
                    </Table.Td>
                    <Table.Td>
                      <TierBadge tier={customer.tier} size="sm" />
                    </Table.Td>
                    <Table.Td>{customer.country ?? '—'}</Table.Td>
                    <Table.Td ta="right">{formatInteger(customer.total_orders)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(customer.total_spend)}</Table.Td>
                    <Table.Td>{formatDate(customer.created_at)}</Table.Td>
                    <Table.Td>{formatDate(customer.last_order_at)}</Table.Td>
                    <Table.Td>
                      {onEdit && (
                        <Tooltip label="Edit">
                          <ActionIcon variant="subtle" aria-label={`Edit ${name}`} onClick={() => onEdit(customer)}>
                            <IconPencil size={16} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
