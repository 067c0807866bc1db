import {
  Anchor,
  Badge,
  Card,
  Drawer,
  Group,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import type { CustomerDetails } from '@/api/client';
import { useCustomerDetails } from '@/api/queries/customers';
import { formatDate, formatDateTime, formatInteger, formatMoney, humanize } from '@/lib/format';

import { QueryError } from './QueryError';
import { StatusBadge, TierBadge } from './StatusBadge';
import { TIER_COLORS } from './statusColors';
import { tierProgress } from './tierProgress';

export type CustomerDetailsPanelProps = {
  customerId: number | null;
  isOpen: boolean;
  onClose: () => void;
  onOrderClick: (orderId: number) => void;
  /** Extra actions in the panel (e.g. an Edit button for writers). */
  actions?: (details: CustomerDetails) => ReactNode;
};

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function Insight({ label, value, basis }: { label: string; value: ReactNode; basis: string }) {
  return (
    <Card withBorder padding="sm" radius="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Tooltip label={basis} multiline w={280} withArrow>
        <Text fw={600} size="sm" component="div">
          {value}
        </Text>
      </Tooltip>
      <Text size="xs" c="dimmed" mt={4}>
        {basis}
      </Text>
    </Card>
  );
}

const CHURN_COLORS = { low: 'green', medium: 'yellow', high: 'red', unknown: 'gray' } as const;

function CustomerBody({
  details,
  onOrderClick,
  actions,
}: {
  details: CustomerDetails;
  onOrderClick: (orderId: number) => void;
  actions?: ReactNode;
}) {
  const { customer, stats, tier, insights, recent_orders: orders } = details;
  const progress = tierProgress(tier, stats.lifetime_spend);
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <Group gap="xs">
          <StatusBadge status={customer.status} />
          <TierBadge tier={customer.tier} />
          {customer.email_consent ? (
            <Badge variant="dot" color="teal">
              Email consent
            </Badge>
          ) : (
            <Badge variant="dot" color="gray">
              No email consent
            </Badge>
          )}
        </Group>
        {actions}
      </Group>

      <section aria-label="Profile">
        <SimpleGrid cols={2} spacing="sm">
          <Field label="Email">{customer.email}</Field>
          <Field label="Phone">{customer.phone ?? '—'}</Field>
          <Field label="Location">
            {[customer.city, customer.country].filter(Boolean).join(', ') || '—'}
          </Field>
          <Field label="Customer since">{formatDate(customer.created_at)}</Field>
        </SimpleGrid>
      </section>

      <section aria-labelledby="customer-stats-title">
        <Title order={4} id="customer-stats-title" mb="xs">
          Stats
        </Title>
        <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="sm">
          <Field label="Lifetime spend">{formatMoney(stats.lifetime_spend)}</Field>
          <Field label="Orders">{formatInteger(stats.total_orders)}</Field>
          <Field label="Average order">{formatMoney(stats.average_order_value)}</Field>
          <Field label="First order">{formatDate(stats.first_order_at)}</Field>
          <Field label="Last order">{formatDate(stats.last_order_at)}</Field>
          <Field label="Days since last order">
            {stats.days_since_last_order === null ? '—' : formatInteger(stats.days_since_last_order)}
          </Field>
        </SimpleGrid>
      </section>

      <section aria-labelledby="customer-tier-title">
        <Title order={4} id="customer-tier-title" mb="xs">
          Tier
        </Title>
        <Group justify="space-between" mb={4}>
          <TierBadge tier={tier.name} />
          {tier.next_tier !== null && <TierBadge tier={tier.next_tier} variant="light" />}
        </Group>
        <Progress
          value={progress}
          color={TIER_COLORS[tier.next_tier ?? tier.name]}
          aria-label={`Progress to the ${tier.next_tier ?? tier.name} tier`}
        />
        <Text size="xs" c="dimmed" mt={4}>
          {tier.next_tier === null || tier.spend_to_next === null
            ? 'Top tier reached.'
            : `${formatMoney(tier.spend_to_next)} more to reach ${humanize(tier.next_tier)}.`}
        </Text>
      </section>

      <section aria-labelledby="customer-insights-title">
        <Title order={4} id="customer-insights-title" mb="xs">
          Insights
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <Insight label="RFM group" value={insights.rfm.group} basis={insights.rfm.basis} />
          <Insight
            label="Favourite category"
            value={
              insights.favourite_category.category === null
                ? '—'
                : `${insights.favourite_category.category}${
                    insights.favourite_category.share_of_spend === null
                      ? ''
                      : ` (${insights.favourite_category.share_of_spend}% of spend)`
                  }`
            }
            basis={insights.favourite_category.basis}
          />
          <Insight
            label="Next order expected"
            value={formatDate(insights.next_order.expected_at)}
            basis={insights.next_order.basis}
          />
          <Insight
            label="Churn risk"
            value={
              <Badge color={CHURN_COLORS[insights.churn_risk.level]} variant="light">
                {humanize(insights.churn_risk.level)}
              </Badge>
            }
            basis={insights.churn_risk.basis}
          />
        </SimpleGrid>
      </section>

      <section aria-labelledby="customer-orders-title">
        <Group justify="space-between" mb="xs">
          <Title order={4} id="customer-orders-title">
            Recent orders
          </Title>
          {stats.total_orders > orders.length && (
            <Anchor component={Link} to={`/orders?customer_id=${String(customer.id)}`} size="sm">
              All {formatInteger(stats.total_orders)} orders
            </Anchor>
          )}
        </Group>
        {orders.length === 0 ? (
          <Text size="sm" c="dimmed">
            No orders yet.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={420}>
            <Table verticalSpacing={6} aria-label="Recent orders">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Order</Table.Th>
                  <Table.Th>Placed</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th ta="right">Total</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {orders.map((order) => (
                  <Table.Tr key={order.id}>
                    <Table.Td>
                      <Anchor component="button" type="button" size="sm" onClick={() => onOrderClick(order.id)}>
                        {order.order_number}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{formatDateTime(order.placed_at)}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={order.status} size="sm" />
                    </Table.Td>
                    <Table.Td ta="right">{formatMoney(order.total_amount, order.currency)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>
    </Stack>
  );
}

function PanelSkeleton() {
  return (
    <Stack gap="md" aria-busy="true" aria-label="Loading">
      <Skeleton height={24} width="60%" />
      <Skeleton height={60} />
      <Skeleton height={80} />
      <Skeleton height={120} />
    </Stack>
  );
}

/** A customer's profile, stats, tier, insights and recent orders, in a drawer. */
export function CustomerDetailsPanel({ customerId, isOpen, onClose, onOrderClick, actions }: CustomerDetailsPanelProps) {
  const query = useCustomerDetails(customerId);
  const customer = query.data?.customer;
  return (
    <Drawer
      opened={isOpen}
      onClose={onClose}
      position="right"
      size="xl"
      title={
        <Text component="span" fw={700} size="lg">
          {customer ? `${customer.first_name} ${customer.last_name}` : 'Customer'}
        </Text>
      }
      closeButtonProps={{ 'aria-label': 'Close customer details' }}
    >
      {query.data !== undefined ? (
        <CustomerBody details={query.data} onOrderClick={onOrderClick} actions={actions?.(query.data)} />
      ) : query.isError ? (
        <QueryError
          title="Could not load the customer"
          error={query.error}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : (
        <PanelSkeleton />
      )}
    </Drawer>
  );
}
