import { Anchor, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';

import type { OrderListRow } from '@/api/client';
import { StatusBadge } from '@/components/StatusBadge';
import { formatDateTime, formatLines, formatMoney } from '@/lib/format';

/** The orders as a compact list for phones and narrow windows: one card per order. */
export function OrderList({
  orders,
  loading,
  orderHref,
  customerHref,
  dimmed = false,
}: {
  orders: OrderListRow[];
  loading: boolean;
  orderHref: (orderId: number) => string;
  customerHref: (customerId: number) => string;
  dimmed?: boolean;
}) {
  if (loading) {
    return (
      <Stack gap="xs" aria-busy="true" aria-label="Loading orders">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} height={72} radius="md" />
        ))}
      </Stack>
    );
  }
  return (
    <Stack
      component="ul"
      gap="xs"
      aria-label="Orders"
      aria-busy={dimmed}
      style={{ listStyle: 'none', padding: 0, margin: 0, opacity: dimmed ? 0.6 : 1 }}
    >
      {orders.map((order) => (
        <Paper component="li" key={order.id} withBorder radius="md" p="sm" data-testid="order-item">
          <Group justify="space-between" align="center" wrap="nowrap" gap="sm">
            <Group gap="xs" wrap="nowrap">
              <Anchor component={Link} to={orderHref(order.id)} fw={600} size="sm">
                {order.order_number}
              </Anchor>
              <StatusBadge status={order.status} size="sm" />
            </Group>
            <Text size="sm" fw={600} style={{ flexShrink: 0 }}>
              {formatMoney(order.total_amount, order.currency)}
            </Text>
          </Group>
          <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm" mt={4}>
            <div style={{ minWidth: 0 }}>
              <Anchor component={Link} to={customerHref(order.customer_id)} size="sm" c="dark">
                {order.customer_name}
              </Anchor>
              <Text size="xs" c="dimmed">
                {formatDateTime(order.placed_at)}
              </Text>
            </div>
            <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
              {formatLines(order.item_count)}
            </Text>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
