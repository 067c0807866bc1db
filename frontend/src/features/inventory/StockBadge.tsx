import { Badge } from '@mantine/core';

import type { StockState } from '@/api/client';

import { STOCK_STATE_LABELS } from './listState';

const COLORS: Record<StockState, string> = { in_stock: 'teal', low: 'orange', out: 'red' };

export function StockBadge({ state }: { state: StockState }) {
  return (
    <Badge color={COLORS[state]} variant="light" size="sm">
      {STOCK_STATE_LABELS[state]}
    </Badge>
  );
}
