import { Anchor, Table, Text } from '@mantine/core';
import type { CSSProperties } from 'react';
import { Link } from 'react-router';

import type { OrderListRow, OrderSort } from '@/api/client';
import { SkeletonRows } from '@/components/SkeletonRows';
import { SortableTh } from '@/components/SortableTh';
import { StatusBadge } from '@/components/StatusBadge';
import { formatDateTime, formatInteger, formatMoney } from '@/lib/format';
import type { SortDirection } from '@/lib/listState';

const COLUMN_COUNT = 6;

/** A long customer name or email ends in "…" instead of widening the table. */
const TRUNCATE: CSSProperties = { overflow: 'hidden', textOverflow: 'ellipsis' };

export type OrdersTableProps = {
  orders: OrderListRow[];
  loading: boolean;
  sort: OrderSort;
  direction: SortDirection;
  onSort: (sort: OrderSort, direction: SortDirection) => void;
  /** The URLs that open an order's / a customer's panel (numbers and names are links). */
  orderHref: (orderId: number) => string;
  customerHref: (customerId: number) => string;
  dimmed?: boolean;
};

/** The orders as a table for wide screens: a fixed layout that fits its card, a sticky header. */
export function OrdersTable({
  orders,
  loading,
  sort,
  direction,
  onSort,
  orderHref,
  customerHref,
  dimmed = false,
}: OrdersTableProps) {
  return (
    <Table
      striped
      highlightOnHover
      layout="fixed"
      stickyHeader
      stickyHeaderOffset="var(--app-shell-header-height, 0px)"
      verticalSpacing="xs"
      aria-label="Orders"
      aria-busy={loading || dimmed}
      style={{ opacity: dimmed ? 0.6 : 1, transition: 'opacity 120ms', whiteSpace: 'nowrap' }}
    >
      <Table.Thead>
        <Table.Tr>
          <SortableTh column="order_number" sort={sort} direction={direction} onSort={onSort} w={128}>
            Order
          </SortableTh>
          <SortableTh
            column="placed_at"
            sort={sort}
            direction={direction}
            onSort={onSort}
            firstDirection="desc"
            w={210}
          >
            Placed
          </SortableTh>
          <Table.Th>Customer</Table.Th>
          <Table.Th w={124}>Status</Table.Th>
          {/* A line is one product of the order, whatever its quantity (the panel shows units too). */}
          <Table.Th ta="right" w={72}>
            Lines
          </Table.Th>
          <SortableTh
            column="total_amount"
            sort={sort}
            direction={direction}
            onSort={onSort}
            firstDirection="desc"
            align="right"
            w={120}
          >
            Total
          </SortableTh>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {loading ? (
          <SkeletonRows columns={COLUMN_COUNT} />
        ) : (
          orders.map((order) => (
            <Table.Tr key={order.id} data-testid="order-row">
              <Table.Td>
                <Anchor component={Link} to={orderHref(order.id)} fw={500} size="sm">
                  {order.order_number}
                </Anchor>
              </Table.Td>
              <Table.Td>{formatDateTime(order.placed_at)}</Table.Td>
              <Table.Td style={TRUNCATE}>
                <Anchor component={Link} to={customerHref(order.customer_id)} size="sm" c="dark">
                  {order.customer_name}
                </Anchor>
                <Text size="xs" c="dimmed" truncate title={order.customer_email}>
                  {order.customer_email}
                </Text>
              </Table.Td>
              <Table.Td data-testid="order-status">
                <StatusBadge status={order.status} size="sm" />
              </Table.Td>
              <Table.Td ta="right" data-testid="order-lines">
                {formatInteger(order.item_count)}
              </Table.Td>
              <Table.Td ta="right">{formatMoney(order.total_amount, order.currency)}</Table.Td>
            </Table.Tr>
          ))
        )}
      </Table.Tbody>
    </Table>
  );
}
