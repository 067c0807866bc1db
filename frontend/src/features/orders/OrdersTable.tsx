import { Anchor, Table, Text } from '@mantine/core';

import type { OrderListRow, OrderSort } from '@/api/client';
import { SkeletonRows } from '@/components/SkeletonRows';
import { SortableTh } from '@/components/SortableTh';
import { StatusBadge } from '@/components/StatusBadge';
import { formatDateTime, formatInteger, formatMoney } from '@/lib/format';
import type { SortDirection } from '@/lib/listState';

const COLUMN_COUNT = 6;

export function OrdersTable({
  orders,
  loading,
  sort,
  direction,
  onSort,
  onOpenOrder,
  onOpenCustomer,
  dimmed = false,
}: {
  orders: OrderListRow[];
  loading: boolean;
  sort: OrderSort;
  direction: SortDirection;
  onSort: (sort: OrderSort, direction: SortDirection) => void;
  onOpenOrder: (orderId: number) => void;
  onOpenCustomer: (customerId: number) => void;
  dimmed?: boolean;
}) {
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table
        striped
        highlightOnHover
        verticalSpacing="xs"
        aria-label="Orders"
        aria-busy={loading || dimmed}
        style={{ opacity: dimmed ? 0.6 : 1, transition: 'opacity 120ms', whiteSpace: 'nowrap' }}
      >
        <Table.Thead>
          <Table.Tr>
            <SortableTh column="order_number" sort={sort} direction={direction} onSort={onSort}>
              Order
            </SortableTh>
            <SortableTh column="placed_at" sort={sort} direction={direction} onSort={onSort} firstDirection="desc">
              Placed
            </SortableTh>
            <Table.Th>Customer</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Items</Table.Th>
            <SortableTh
              column="total_amount"
              sort={sort}
              direction={direction}
              onSort={onSort}
              firstDirection="desc"
              align="right"
            >
              Total
            </SortableTh>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {loading
            ? <SkeletonRows columns={COLUMN_COUNT} />
            : orders.map((order) => (
                <Table.Tr key={order.id} data-testid="order-row">
                  <Table.Td>
                    <Anchor component="button" type="button" fw={500} size="sm" onClick={() => onOpenOrder(order.id)}>
                      {order.order_number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{formatDateTime(order.placed_at)}</Table.Td>
                  <Table.Td>
                    <Anchor
                      component="button"
                      type="button"
                      size="sm"
                      c="dark"
                      onClick={() => onOpenCustomer(order.customer_id)}
                    >
                      {order.customer_name}
                    </Anchor>
                    <Text size="xs" c="dimmed" truncate maw={260}>
                      {order.customer_email}
                    </Text>
                  </Table.Td>
                  <Table.Td data-testid="order-status">
                    <StatusBadge status={order.status} size="sm" />
                  </Table.Td>
                  <Table.Td ta="right">{formatInteger(order.item_count)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(order.total_amount, order.currency)}</Table.Td>
                </Table.Tr>
              ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
