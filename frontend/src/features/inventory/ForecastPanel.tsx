import { Anchor, Collapse, Group, Paper, Table, Text } from '@mantine/core';
import { useState } from 'react';

import type { ForecastSummary } from '@/api/client';
import { formatDateTime, formatInteger } from '@/lib/format';

import { formatPercent } from './forecastFormat';

/**
 * The latest forecast's own error, in plain sight: how far its forecast of the last 30 days (made from the
 * days before them) was from what sold, against the naive "last 30 days repeat", overall and per category.
 */
export function ForecastPanel({ summary }: { summary: ForecastSummary }) {
  const [open, setOpen] = useState(false);
  if (!summary.computed) {
    return (
      <Paper withBorder radius="md" p="sm" aria-label="Forecast accuracy">
        <Text size="sm" c="dimmed">
          Demand forecasts are not computed yet: they appear after the first forecasting run.
        </Text>
      </Paper>
    );
  }
  const methods = summary.methods ?? [];
  const categories = summary.categories ?? [];
  const chosen = methods.find((m) => m.method === summary.method);
  const naive = methods.find((m) => m.method === summary.baseline);
  const pct = Math.round((summary.service_level ?? 0) * 100);
  return (
    <Paper withBorder radius="md" p="sm" aria-label="Forecast accuracy">
      <Group justify="space-between" align="flex-start" gap="xs">
        <div>
          <Text size="sm" fw={600}>
            Forecast error, last {summary.horizon_days} days: {formatPercent(chosen?.wape)} (naive {formatPercent(naive?.wape)})
          </Text>
          <Text size="xs" c="dimmed">
            {summary.method_label}, bias {formatPercent(chosen?.bias, { signed: true })} (naive {formatPercent(naive?.bias, { signed: true })}
            ), over {formatInteger(summary.backtested ?? 0)} products with enough history; {formatInteger(summary.not_enough_history ?? 0)}{' '}
            have too little. Computed {formatDateTime(summary.computed_at)}.
          </Text>
          <Text size="xs" c="dimmed">
            Reorder advice covers the lead time and {summary.review_days} days after it, plus safety stock for a {pct}% chance of not running
            out during the lead time.
          </Text>
        </div>
        <Anchor component="button" type="button" size="sm" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {open ? 'Hide details' : 'Per method and category'}
        </Anchor>
      </Group>
      <Collapse expanded={open}>
        <Table.ScrollContainer minWidth={420} mt="sm">
          <Table verticalSpacing={2} fz="sm" aria-label="Forecast error per method">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Method</Table.Th>
                <Table.Th ta="right">Error (WAPE)</Table.Th>
                <Table.Th ta="right">Bias</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {methods.map((m) => (
                <Table.Tr key={m.method}>
                  <Table.Td>
                    {m.label}
                    {m.method === summary.method ? ' (used)' : ''}
                  </Table.Td>
                  <Table.Td ta="right">{formatPercent(m.wape)}</Table.Td>
                  <Table.Td ta="right">{formatPercent(m.bias, { signed: true })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Table verticalSpacing={2} fz="sm" mt="sm" aria-label="Forecast error per category">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Category</Table.Th>
                <Table.Th ta="right">Products</Table.Th>
                <Table.Th ta="right">Error</Table.Th>
                <Table.Th ta="right">Naive</Table.Th>
                <Table.Th ta="right">Bias</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {categories.map((c) => (
                <Table.Tr key={c.category}>
                  <Table.Td>{c.category}</Table.Td>
                  <Table.Td ta="right">{formatInteger(c.products)}</Table.Td>
                  <Table.Td ta="right">{formatPercent(c.wape)}</Table.Td>
                  <Table.Td ta="right">{formatPercent(c.naive_wape)}</Table.Td>
                  <Table.Td ta="right">{formatPercent(c.bias, { signed: true })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Collapse>
    </Paper>
  );
}
