import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';

import type { OrderDetails, OrderStatus } from '@/api/client';
import { useOrderDetails, useUpdateOrderStatus } from '@/api/queries/orders';
import { canWrite, useCurrentUser } from '@/components/currentUser';
import { DetailContent, DetailDrawer } from '@/components/DetailDrawer';
import { Field } from '@/components/Field';
import { StatusBadge } from '@/components/StatusBadge';
import { statusColor } from '@/components/statusColors';
import { formatDateTime, formatInteger, formatLinesAndUnits, formatMoney, humanize } from '@/lib/format';

export type OrderDetailsPanelProps = {
  orderId: number | null;
  isOpen: boolean;
  onClose: () => void;
  /** Where the customer's link goes (the URL that opens their panel). */
  customerHref: (customerId: number) => string;
};

/** What the button for a transition says. */
const TRANSITION_LABELS: Record<OrderStatus, string> = {
  pending: 'Mark as pending',
  paid: 'Mark as paid',
  processing: 'Start processing',
  shipped: 'Mark as shipped',
  delivered: 'Mark as delivered',
  cancelled: 'Cancel order',
  refunded: 'Refund order',
};

/** Transitions that give stock back and change the customer's figures: asked twice. */
const DESTRUCTIVE: readonly OrderStatus[] = ['cancelled', 'refunded'];

function StatusActions({ order }: { order: OrderDetails }) {
  const update = useUpdateOrderStatus();
  const [confirming, setConfirming] = useState<OrderStatus | null>(null);

  if (order.allowed_transitions.length === 0) return null;

  const change = (status: OrderStatus) => {
    update.mutate(
      { id: order.id, status },
      {
        onSuccess: (updated) => {
          setConfirming(null);
          notifications.show({
            color: 'green',
            message: `Order ${updated.order_number} is now ${updated.status}.`,
          });
        },
      },
    );
  };

  return (
    <section aria-labelledby="order-actions-title">
      <Title order={3} size="h4" id="order-actions-title" mb="xs">
        Change status
      </Title>
      {update.error && (
        <Alert color="red" variant="light" mb="sm" role="alert" title="Status not changed">
          {update.error.message}
        </Alert>
      )}
      {confirming !== null ? (
        <Card withBorder padding="sm">
          <Text size="sm" mb="xs">
            {confirming === 'cancelled' ? 'Cancel' : 'Refund'} order {order.order_number}? Stock is put
            back and the customer&apos;s spend and order count are updated.
          </Text>
          <Group gap="xs">
            <Button color="red" size="xs" loading={update.isPending} onClick={() => change(confirming)}>
              {TRANSITION_LABELS[confirming]}
            </Button>
            <Button variant="default" size="xs" onClick={() => setConfirming(null)} disabled={update.isPending}>
              Keep the order
            </Button>
          </Group>
        </Card>
      ) : (
        <Group gap="xs">
          {order.allowed_transitions.map((status) => {
            const destructive = DESTRUCTIVE.includes(status);
            return (
              <Button
                key={status}
                size="xs"
                variant={destructive ? 'outline' : 'light'}
                color={destructive ? 'red' : statusColor(status)}
                loading={update.isPending && update.variables.status === status}
                disabled={update.isPending}
                onClick={() => (destructive ? setConfirming(status) : change(status))}
              >
                {TRANSITION_LABELS[status]}
              </Button>
            );
          })}
        </Group>
      )}
    </section>
  );
}

function OrderBody({ order, customerHref }: { order: OrderDetails; customerHref: (id: number) => string }) {
  const user = useCurrentUser();
  const { customer, shipping } = order;
  const address = [
    shipping.name,
    shipping.address1,
    shipping.address2,
    [shipping.postal_code, shipping.city].filter(Boolean).join(' '),
    shipping.country,
  ].filter((line): line is string => typeof line === 'string' && line.trim() !== '');
  return (
    <Stack gap="lg">
      <section aria-label="Summary">
        <SimpleGrid cols={{ base: 2, xs: 4 }} spacing="sm">
          <Field label="Status">
            <StatusBadge status={order.status} />
          </Field>
          <Field label="Placed">{formatDateTime(order.placed_at)}</Field>
          <Field label="Items">
            <span data-testid="order-lines-units">{formatLinesAndUnits(order.items)}</span>
          </Field>
          <Field label="Total">
            <Text fw={700} size="sm">
              {formatMoney(order.total_amount, order.currency)}
            </Text>
          </Field>
        </SimpleGrid>
      </section>

      <section aria-labelledby="order-customer-title">
        <Title order={3} size="h4" id="order-customer-title" mb="xs">
          Customer
        </Title>
        <Anchor component={Link} to={customerHref(customer.id)} fw={600}>
          {customer.first_name} {customer.last_name}
        </Anchor>
        <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {customer.email}
          {customer.phone ? ` · ${customer.phone_display ?? customer.phone}` : ''}
        </Text>
        <Text size="sm" c="dimmed">
          {formatInteger(customer.total_orders)} {customer.total_orders === 1 ? 'order' : 'orders'} ·{' '}
          {formatMoney(customer.total_spend)} spent, cancelled and refunded not counted
        </Text>
      </section>

      {canWrite(user.role) && <StatusActions order={order} />}

      <section aria-labelledby="order-items-title">
        <Title order={3} size="h4" id="order-items-title" mb="xs">
          Items
        </Title>
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing={6} aria-label="Order items">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Product</Table.Th>
                <Table.Th>SKU</Table.Th>
                <Table.Th ta="right">Qty</Table.Th>
                <Table.Th ta="right">Unit price</Table.Th>
                <Table.Th ta="right">Line total</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {order.items.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>{item.product_name}</Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {item.sku}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{formatInteger(item.quantity)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(item.unit_price, order.currency)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(item.line_total, order.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th colSpan={4} ta="right">
                  Total
                </Table.Th>
                <Table.Th ta="right">{formatMoney(order.total_amount, order.currency)}</Table.Th>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      </section>

      <section aria-labelledby="order-shipping-title">
        <Title order={3} size="h4" id="order-shipping-title" mb="xs">
          Shipping
        </Title>
        {address.length === 0 ? (
          <Text size="sm" c="dimmed">
            No shipping address.
          </Text>
        ) : (
          <Text size="sm" component="address" style={{ fontStyle: 'normal', whiteSpace: 'pre-line' }}>
            {address.join('\n')}
          </Text>
        )}
      </section>

      <section aria-labelledby="order-history-title">
        <Title order={3} size="h4" id="order-history-title" mb="xs">
          Status history
        </Title>
        {order.history.length === 0 ? (
          <Text size="sm" c="dimmed">
            Placed as {order.status}; no changes since.
          </Text>
        ) : (
          <Timeline bulletSize={14} lineWidth={2} active={order.history.length - 1}>
            {order.history.map((event, i) => (
              <Timeline.Item
                key={`${event.changed_at}-${String(i)}`}
                color={statusColor(event.to_status)}
                title={
                  event.from_status === null
                    ? humanize(event.to_status)
                    : `${humanize(event.from_status)} → ${humanize(event.to_status)}`
                }
              >
                <Text size="xs" c="dimmed">
                  {formatDateTime(event.changed_at)} · {event.changed_by ?? 'Store'}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </section>
    </Stack>
  );
}

function OrderSkeleton() {
  return (
    <Stack gap="md" aria-busy="true" aria-label="Loading">
      <Skeleton height={40} />
      <Skeleton height={60} />
      <Skeleton height={140} />
    </Stack>
  );
}

/** An order's summary, customer, items, shipping and status history, in a drawer. */
export function OrderDetailsPanel({ orderId, isOpen, onClose, customerHref }: OrderDetailsPanelProps) {
  const query = useOrderDetails(orderId);
  return (
    <DetailDrawer
      opened={isOpen}
      onClose={onClose}
      title={query.data ? `Order ${query.data.order_number}` : 'Order'}
      closeLabel="Close order details"
    >
      <DetailContent query={query} noun="order" skeleton={<OrderSkeleton />}>
        {(order) => <OrderBody order={order} customerHref={customerHref} />}
      </DetailContent>
    </DetailDrawer>
  );
}
