import { Group, Paper, Stack, Text } from '@mantine/core';

import type { OrderStatus } from '@/api/client';
import { StatusBadge } from '@/components/StatusBadge';
import { formatInteger } from '@/lib/format';

const ORDER: OrderStatus[] = ['pending', 'paid', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded'];

/** Every order placed in the period, by its status now. */
export function StatusBreakdown({ counts }: { counts: Record<string, number> }) {
  return (
    <Paper withBorder radius="md" p="md" h="100%">
      <Text fw={600} mb="sm">
        Orders by status
      </Text>
      <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {ORDER.map((status) => (
          <Group key={status} justify="space-between" component="li" data-testid={`status-${status}`}>
            <StatusBadge status={status} />
            <Text size="sm" fw={500}>
              {formatInteger(counts[status] ?? 0)}
            </Text>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
