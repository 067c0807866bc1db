import { Anchor, Paper, Text } from '@mantine/core';
import { Link } from 'react-router';

import { formatInteger } from '@/lib/format';

/** Products at or below their low-stock threshold, linking to Inventory. */
export function StockAlertsCard({ count }: { count: number }) {
  return (
    <Paper withBorder radius="md" p="md" data-testid="metric-stock-alerts">
      <Text size="sm" c="dimmed" fw={500}>
        Stock alerts
      </Text>
      <Text fz={{ base: 20, xs: 26 }} fw={700} lh={1.3} c={count > 0 ? 'orange.9' : undefined}>
        {formatInteger(count)}
      </Text>
      <Anchor component={Link} to="/inventory?stock=low" size="sm">
        {count === 1 ? '1 product' : `${formatInteger(count)} products`} low or out: see Inventory
      </Anchor>
    </Paper>
  );
}
