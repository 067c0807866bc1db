import { Anchor, Badge, Card, Group, Progress, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import type { CustomerDetails } from '@/api/client';
import { useCustomerDetails } from '@/api/queries/customers';
import { useCustomerOrderCounts } from '@/api/queries/orders';
import { DetailContent, DetailDrawer } from '@/components/DetailDrawer';
import { Field } from '@/components/Field';
import { StatusBadge, TierBadge } from '@/components/StatusBadge';
import { TIER_COLORS } from '@/components/statusColors';
import { formatDate, formatDateTime, formatInteger, formatMoney, humanize } from '@/lib/format';

import { nextOrderText, reconcileRfmAndChurn, rfmBasisWithCurrency, rfmScores } from './customerInsights';
import { tierProgress } from './tierProgress';

export type CustomerDetailsPanelProps = {
  customerId: number | null;
  isOpen: boolean;
  onClose: () => void;
  /** Where a recent order's link goes (the URL that opens its panel). */
  orderHref: (orderId: number) => string;
  /** Extra actions in the panel (e.g. an Edit button for writers). */
  actions?: (details: CustomerDetails) => ReactNode;
  /** The customer's segments (the segments feature's section, handed in by the page). */
  segments?: (customerId: number) => ReactNode;
  /** A last section (an admin's personal-data actions, handed in by the page). */
  footer?: (details: CustomerDetails) => ReactNode;
};

/** The store's currency: customer figures (spend, RFM) are summed in it. */
const STORE_CURRENCY = 'USD';

function Insight({ label, children, basis }: { label: string; children: ReactNode; basis: string }) {
  return (
    <Card withBorder padding="sm" radius="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="sm" component="div">
        {children}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        {basis}
      </Text>
    </Card>
  );
}

const CHURN_COLORS = { low: 'green', medium: 'yellow', high: 'red', unknown: 'gray' } as const;

/** Cancelled and refunded orders: listed with the others, left out of counts and spend. */
const UNCOUNTED = ['cancelled', 'refunded'] as const;

function CustomerBody({
  details,
  orderHref,
  actions,
  segments,
  footer,
}: {
  details: CustomerDetails;
  orderHref: (orderId: number) => string;
  actions?: ReactNode;
  segments?: ReactNode;
  footer?: ReactNode;
}) {
  const { customer, stats, tier, insights, recent_orders: orders } = details;
  const progress = tierProgress(tier, stats.lifetime_spend);
  const counts = useCustomerOrderCounts(customer.id).data;
  const allOrders = counts?.all;
  const uncounted = counts === undefined ? undefined : UNCOUNTED.reduce((n, s) => n + (counts[s] ?? 0), 0);
  const next = nextOrderText(insights.next_order.expected_at);
  const scores = rfmScores(insights.rfm);
  const reconcile = reconcileRfmAndChurn({
    rfm: insights.rfm,
    churn: insights.churn_risk,
    daysSinceLastOrder: stats.days_since_last_order,
    typicalGapDays: insights.next_order.typical_gap_days,
  });
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <Group gap="xs">
          {customer.erased_at !== null && (
            <Badge color="gray" variant="filled" data-testid="erased-badge">
              Personal data erased {formatDate(customer.erased_at)}
            </Badge>
          )}
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
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <Field label="Email">{customer.email}</Field>
          <Field label="Phone">{customer.phone_display ?? customer.phone ?? '—'}</Field>
          <Field label="Location">{[customer.city, customer.country].filter(Boolean).join(', ') || '—'}</Field>
          <Field label="Customer since">{formatDate(customer.created_at)}</Field>
        </SimpleGrid>
      </section>

      <section aria-labelledby="customer-stats-title">
        <Title order={3} size="h4" id="customer-stats-title" mb="xs">
          Stats
        </Title>
        <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="sm">
          <Field label="Lifetime spend">{formatMoney(stats.lifetime_spend, STORE_CURRENCY)}</Field>
          <Field
            label="Orders"
            hint={
              uncounted !== undefined && uncounted > 0
                ? `Not counting ${formatInteger(uncounted)} cancelled or refunded`
                : undefined
            }
          >
            <span data-testid="counted-orders">{formatInteger(stats.total_orders)}</span>
          </Field>
          <Field label="Average order">{formatMoney(stats.average_order_value, STORE_CURRENCY)}</Field>
          <Field label="First order">{formatDate(stats.first_order_at)}</Field>
          <Field label="Last order">{formatDate(stats.last_order_at)}</Field>
          <Field label="Days since last order">
            {stats.days_since_last_order === null ? '—' : formatInteger(stats.days_since_last_order)}
          </Field>
        </SimpleGrid>
      </section>

      <section aria-labelledby="customer-tier-title">
        <Title order={3} size="h4" id="customer-tier-title" mb="xs">
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
            : `${formatMoney(tier.spend_to_next, STORE_CURRENCY)} more to reach ${humanize(tier.next_tier)}.`}
        </Text>
      </section>

      {segments}

      <section aria-labelledby="customer-insights-title">
        <Title order={3} size="h4" id="customer-insights-title" mb="xs">
          Insights
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <Insight label="RFM group" basis={rfmBasisWithCurrency(insights.rfm.basis, STORE_CURRENCY)}>
            {insights.rfm.group}
            {scores.length > 0 && (
              <Text size="xs" fw={500} data-testid="rfm-scores">
                {scores.map(({ label, score }) => `${label} ${String(score)}/5`).join(' · ')}
              </Text>
            )}
          </Insight>
          <Insight label="Favourite category" basis={insights.favourite_category.basis}>
            {insights.favourite_category.category === null
              ? '—'
              : `${insights.favourite_category.category}${
                  insights.favourite_category.share_of_spend === null
                    ? ''
                    : ` (${insights.favourite_category.share_of_spend}% of spend)`
                }`}
          </Insight>
          <Insight label="Next order expected" basis={insights.next_order.basis}>
            <Text span inherit c={next.overdue ? 'red' : undefined} data-testid="next-order">
              {next.value}
            </Text>
            {next.detail !== null && (
              <Text size="xs" fw={400} c="dimmed">
                {next.detail}
              </Text>
            )}
          </Insight>
          <Insight label="Churn risk" basis={insights.churn_risk.basis}>
            <Badge color={CHURN_COLORS[insights.churn_risk.level]} variant="light">
              {humanize(insights.churn_risk.level)}
            </Badge>
          </Insight>
        </SimpleGrid>
        {reconcile !== null && (
          <Text size="sm" mt="sm" data-testid="insights-reconcile">
            {reconcile}
          </Text>
        )}
      </section>

      <section aria-labelledby="customer-orders-title">
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h4" id="customer-orders-title">
            Recent orders
          </Title>
          {orders.length > 0 && (
            <Anchor component={Link} to={`/orders?customer_id=${String(customer.id)}`} size="sm">
              {allOrders === undefined
                ? 'View all orders'
                : `View all ${formatInteger(allOrders)} ${allOrders === 1 ? 'order' : 'orders'}`}
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
                      <Anchor component={Link} to={orderHref(order.id)} size="sm">
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
      {footer}
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
export function CustomerDetailsPanel({
  customerId,
  isOpen,
  onClose,
  orderHref,
  actions,
  segments,
  footer,
}: CustomerDetailsPanelProps) {
  const query = useCustomerDetails(customerId);
  const customer = query.data?.customer;
  return (
    <DetailDrawer
      opened={isOpen}
      onClose={onClose}
      title={customer ? `${customer.first_name} ${customer.last_name}` : 'Customer'}
      closeLabel="Close customer details"
    >
      <DetailContent query={query} noun="customer" skeleton={<PanelSkeleton />}>
        {(details) => (
          <CustomerBody
            details={details}
            orderHref={orderHref}
            actions={actions?.(details)}
            segments={segments?.(details.customer.id)}
            footer={footer?.(details)}
          />
        )}
      </DetailContent>
    </DetailDrawer>
  );
}
