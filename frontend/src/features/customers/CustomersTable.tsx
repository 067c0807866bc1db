import { ActionIcon, Anchor, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import type { MantineBreakpoint } from '@mantine/core';
import type { CSSProperties } from 'react';
import { Link } from 'react-router';

import type { CustomerOut, CustomerSort } from '@/api/client';
import { IconPencil } from '@/components/icons';
import { SkeletonRows } from '@/components/SkeletonRows';
import { SortableTh } from '@/components/SortableTh';
import { StatusBadge, TierBadge } from '@/components/StatusBadge';
import { formatDate, formatInteger, formatMoney } from '@/lib/format';
import type { SortDirection } from '@/lib/listState';

/** Columns where a user most likely wants the biggest / newest first. */
const DESC_FIRST: readonly CustomerSort[] = ['total_spend', 'tier', 'total_orders', 'created_at', 'last_order_at'];

/** Country and last order give way first when the table gets narrower (both are in the panel). */
const WIDE: MantineBreakpoint = 'xl';
/** Per column: the breakpoint from which it shows (undefined: always). */
const COLUMNS: readonly (MantineBreakpoint | undefined)[] = [
  undefined, // name
  undefined, // email
  undefined, // status
  undefined, // tier
  WIDE, // country
  undefined, // orders
  undefined, // spend
  undefined, // created
  WIDE, // last order
  undefined, // actions
];

/** Long names and emails end in "…" instead of widening the table (the full text is the title). */
const TRUNCATE: CSSProperties = { overflow: 'hidden', textOverflow: 'ellipsis' };

export type CustomersTableProps = {
  customers: CustomerOut[];
  loading: boolean;
  sort: CustomerSort;
  direction: SortDirection;
  onSort: (sort: CustomerSort, direction: SortDirection) => void;
  /** The URL that opens a customer's panel (names are links). */
  customerHref: (customer: CustomerOut) => string;
  /** Leave out for users who cannot edit. */
  onEdit?: (customer: CustomerOut) => void;
  /** The rows are the previous page while the next one loads. */
  dimmed?: boolean;
};

/**
 * The customers as a table for wide screens: a fixed layout that always fits its card (email and
 * name truncate), with a header that stays in view while scrolling the page.
 */
export function CustomersTable({
  customers,
  loading,
  sort,
  direction,
  onSort,
  customerHref,
  onEdit,
  dimmed = false,
}: CustomersTableProps) {
  const th = (
    column: CustomerSort,
    label: string,
    w: number | undefined,
    { align = 'left', visibleFrom }: { align?: 'left' | 'right'; visibleFrom?: MantineBreakpoint } = {},
  ) => (
    <SortableTh
      column={column}
      sort={sort}
      direction={direction}
      onSort={onSort}
      align={align}
      w={w}
      visibleFrom={visibleFrom}
      firstDirection={DESC_FIRST.includes(column) ? 'desc' : 'asc'}
    >
      {label}
    </SortableTh>
  );
  return (
    <Table
      striped
      highlightOnHover
      layout="fixed"
      stickyHeader
      stickyHeaderOffset="var(--app-shell-header-height, 0px)"
      verticalSpacing="xs"
      horizontalSpacing={8}
      aria-label="Customers"
      aria-busy={loading || dimmed}
      style={{ opacity: dimmed ? 0.6 : 1, transition: 'opacity 120ms', whiteSpace: 'nowrap' }}
    >
      <Table.Thead>
        <Table.Tr>
          {th('name', 'Name', 150)}
          {th('email', 'Email', undefined)}
          {th('status', 'Status', 92)}
          {th('tier', 'Tier', 84)}
          {th('country', 'Country', 92, { visibleFrom: WIDE })}
          {th('total_orders', 'Orders', 84, { align: 'right' })}
          {th('total_spend', 'Spend', 100, { align: 'right' })}
          {th('created_at', 'Created', 112)}
          {th('last_order_at', 'Last order', 112, { visibleFrom: WIDE })}
          <Table.Th w={48}>
            <VisuallyHidden>Actions</VisuallyHidden>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {loading ? (
          <SkeletonRows columns={COLUMNS} />
        ) : (
          customers.map((customer) => {
            const name = `${customer.first_name} ${customer.last_name}`;
            return (
              <Table.Tr key={customer.id}>
                <Table.Td style={TRUNCATE} title={name}>
                  <Anchor component={Link} to={customerHref(customer)} fw={500} size="sm">
                    {name}
                  </Anchor>
                </Table.Td>
                <Table.Td style={TRUNCATE} title={customer.email}>
                  <Text span size="sm">
                    {customer.email}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={customer.status} size="sm" />
                </Table.Td>
                <Table.Td>
                  <TierBadge tier={customer.tier} size="sm" />
                </Table.Td>
                <Table.Td visibleFrom={WIDE}>{customer.country ?? '—'}</Table.Td>
                <Table.Td ta="right">{formatInteger(customer.total_orders)}</Table.Td>
                <Table.Td ta="right">{formatMoney(customer.total_spend)}</Table.Td>
                <Table.Td>{formatDate(customer.created_at)}</Table.Td>
                <Table.Td visibleFrom={WIDE}>{formatDate(customer.last_order_at)}</Table.Td>
                <Table.Td>
                  {/* An erased person's record cannot be edited (the server answers 409): no pencil to try. */}
                  {onEdit && customer.erased_at === null && (
                    <Tooltip label="Edit">
                      <ActionIcon variant="subtle" aria-label={`Edit ${name}`} onClick={() => onEdit(customer)}>
                        <IconPencil size={16} />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })
        )}
      </Table.Tbody>
    </Table>
  );
}
