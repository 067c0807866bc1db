import { ActionIcon, Anchor, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';

import type { CustomerOut } from '@/api/client';
import { IconPencil } from '@/components/icons';
import { StatusBadge, TierBadge } from '@/components/StatusBadge';
import { formatDate, formatInteger, formatMoney } from '@/lib/format';

/**
 * The customers as a compact list for phones and narrow windows: one card per customer with the
 * figures a table row shows, nothing cut off at the side.
 */
export function CustomerList({
  customers,
  loading,
  customerHref,
  onEdit,
  dimmed = false,
}: {
  customers: CustomerOut[];
  loading: boolean;
  customerHref: (customer: CustomerOut) => string;
  onEdit?: (customer: CustomerOut) => void;
  dimmed?: boolean;
}) {
  if (loading) {
    return (
      <Stack gap="xs" aria-busy="true" aria-label="Loading customers">
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
      aria-label="Customers"
      aria-busy={dimmed}
      style={{ listStyle: 'none', padding: 0, margin: 0, opacity: dimmed ? 0.6 : 1 }}
    >
      {customers.map((customer) => {
        const name = `${customer.first_name} ${customer.last_name}`;
        return (
          <Paper component="li" key={customer.id} withBorder radius="md" p="sm" data-testid="customer-item">
            <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
              <div style={{ minWidth: 0, flex: 1 }}>
                <Anchor component={Link} to={customerHref(customer)} fw={600} size="sm">
                  {name}
                </Anchor>
                <Text size="xs" c="dimmed" truncate title={customer.email}>
                  {customer.email}
                </Text>
              </div>
              <div style={{ textAlign: 'right', flexShrink: 0 }}>
                <Text size="sm" fw={600}>
                  {formatMoney(customer.total_spend)}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatInteger(customer.total_orders)} {customer.total_orders === 1 ? 'order' : 'orders'}
                </Text>
              </div>
            </Group>
            <Group justify="space-between" align="center" mt={6} wrap="nowrap" gap="xs">
              <Group gap={6} wrap="wrap">
                <StatusBadge status={customer.status} size="sm" />
                <TierBadge tier={customer.tier} size="sm" />
                <Text size="xs" c="dimmed">
                  {[customer.country, `since ${formatDate(customer.created_at)}`].filter(Boolean).join(' · ')}
                </Text>
              </Group>
              {onEdit && customer.erased_at === null && (
                <ActionIcon variant="subtle" aria-label={`Edit ${name}`} onClick={() => onEdit(customer)}>
                  <IconPencil size={16} />
                </ActionIcon>
              )}
            </Group>
          </Paper>
        );
      })}
    </Stack>
  );
}
