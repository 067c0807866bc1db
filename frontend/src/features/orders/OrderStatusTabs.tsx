import { Badge, Tabs } from '@mantine/core';

import type { OrderStatus } from '@/api/client';
import { statusColor } from '@/components/statusColors';
import { COUNT_CAP, estimateLabel, formatCount, humanize } from '@/lib/format';

import { ORDER_STATUSES } from './listState';

const ALL = 'all';

/** A tab per order status (plus All), each with its count under the current filters. */
export function OrderStatusTabs({
  value,
  counts,
  exact,
  onChange,
}: {
  value: OrderStatus | undefined;
  /** `status_counts` of the list answer; undefined while loading. */
  counts: Record<string, number> | undefined;
  /** `status_counts_exact`: false where a count is an estimate (shown "~N"). */
  exact?: Record<string, boolean> | undefined;
  onChange: (status: OrderStatus | undefined) => void;
}) {
  const tabs: { key: string; label: string; color: string }[] = [
    { key: ALL, label: 'All', color: 'gray' },
    ...ORDER_STATUSES.map((s) => ({ key: s, label: humanize(s), color: statusColor(s) })),
  ];
  return (
    <Tabs
      value={value ?? ALL}
      onChange={(next) => onChange(next === null || next === ALL ? undefined : (next as OrderStatus))}
      keepMounted={false}
      activateTabWithKeyboard={false}
    >
      <Tabs.List aria-label="Order status">
        {tabs.map((tab) => {
          const count = counts?.[tab.key];
          const estimate = count !== undefined && exact?.[tab.key] === false && count <= COUNT_CAP;
          const label = estimate ? estimateLabel(count) : undefined;
          return (
            <Tabs.Tab
              key={tab.key}
              value={tab.key}
              data-testid={`status-tab-${tab.key}`}
              rightSection={
                <Badge
                  size="sm"
                  variant="light"
                  color={tab.color}
                  data-testid={`status-count-${tab.key}`}
                  title={label}
                  aria-label={label}
                >
                  {count === undefined ? '…' : formatCount(count, exact?.[tab.key] ?? true)}
                </Badge>
              }
            >
              {tab.label}
            </Tabs.Tab>
          );
        })}
      </Tabs.List>
    </Tabs>
  );
}
