import { Anchor, Group, Paper, Skeleton, Stack, Table, Text } from '@mantine/core';
import type { CSSProperties } from 'react';
import { Link } from 'react-router';

import type { InventoryItem, InventorySort } from '@/api/client';
import { SkeletonRows } from '@/components/SkeletonRows';
import { SortableTh } from '@/components/SortableTh';
import { formatInteger, formatMoney } from '@/lib/format';
import type { SortDirection } from '@/lib/listState';

import { formatCover } from './forecastFormat';
import { NeedBadge } from './NeedBadge';
import { StockBadge } from './StockBadge';

const TRUNCATE: CSSProperties = { overflow: 'hidden', textOverflow: 'ellipsis' };

export type InventoryTableProps = {
  products: InventoryItem[];
  loading: boolean;
  dimmed?: boolean;
  sort: InventorySort;
  direction: SortDirection;
  onSort: (sort: InventorySort, direction: SortDirection) => void;
  productHref: (id: number) => string;
};

/** The products as a table for wide screens; every column sorts. */
export function InventoryTable({ products, loading, dimmed = false, sort, direction, onSort, productHref }: InventoryTableProps) {
  const th = { sort, direction, onSort };
  return (
    <Table
      striped
      highlightOnHover
      layout="fixed"
      stickyHeader
      stickyHeaderOffset="var(--app-shell-header-height, 0px)"
      verticalSpacing="xs"
      aria-label="Products"
      aria-busy={loading || dimmed}
      style={{ opacity: dimmed ? 0.6 : 1, transition: 'opacity 120ms', whiteSpace: 'nowrap' }}
    >
      <Table.Thead>
        <Table.Tr>
          <SortableTh column="name" {...th}>
            Product
          </SortableTh>
          <SortableTh column="sku" {...th} w={130}>
            SKU
          </SortableTh>
          <SortableTh column="category" {...th} w={130}>
            Category
          </SortableTh>
          <SortableTh column="price" {...th} w={110} align="right" firstDirection="desc">
            Price
          </SortableTh>
          <SortableTh column="cost" {...th} w={110} align="right" firstDirection="desc">
            Cost
          </SortableTh>
          <SortableTh column="stock" {...th} w={150} align="right">
            Stock
          </SortableTh>
          <SortableTh column="days_of_cover" {...th} w={100} align="right">
            Cover
          </SortableTh>
          <SortableTh column="need" {...th} w={120} firstDirection="desc">
            Need
          </SortableTh>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {loading ? (
          <SkeletonRows rows={8} columns={8} />
        ) : (
          products.map((p) => (
            <Table.Tr key={p.id} data-testid="product-row">
              <Table.Td style={TRUNCATE}>
                <Anchor component={Link} to={productHref(p.id)} title={p.name}>
                  {p.name}
                </Anchor>
              </Table.Td>
              <Table.Td style={TRUNCATE}>
                <Text size="sm" ff="monospace">
                  {p.sku}
                </Text>
              </Table.Td>
              <Table.Td style={TRUNCATE}>{p.category}</Table.Td>
              <Table.Td ta="right">{formatMoney(p.price)}</Table.Td>
              <Table.Td ta="right">{formatMoney(p.cost)}</Table.Td>
              <Table.Td ta="right">
                <Group gap={6} justify="flex-end" wrap="nowrap">
                  <StockBadge state={p.stock_state} />
                  <span>{formatInteger(p.stock)}</span>
                </Group>
              </Table.Td>
              <Table.Td ta="right">{formatCover(p.forecast?.days_of_cover)}</Table.Td>
              <Table.Td>
                <NeedBadge forecast={p.forecast} />
              </Table.Td>
            </Table.Tr>
          ))
        )}
      </Table.Tbody>
    </Table>
  );
}

/** The products as cards for phones. */
export function InventoryCards({
  products,
  loading,
  dimmed = false,
  productHref,
}: Pick<InventoryTableProps, 'products' | 'loading' | 'dimmed' | 'productHref'>) {
  if (loading) {
    return (
      <Stack gap="xs" aria-busy="true" aria-label="Loading products">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} height={64} radius="md" />
        ))}
      </Stack>
    );
  }
  return (
    <Stack
      component="ul"
      gap="xs"
      aria-label="Products"
      style={{ listStyle: 'none', padding: 0, margin: 0, opacity: dimmed ? 0.6 : 1 }}
    >
      {products.map((p) => (
        <Paper component="li" key={p.id} withBorder radius="md" p="sm" data-testid="product-row">
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Anchor component={Link} to={productHref(p.id)} fw={600} style={TRUNCATE}>
              {p.name}
            </Anchor>
            <Text fw={600}>{formatMoney(p.price)}</Text>
          </Group>
          <Group justify="space-between" gap="xs" mt={4}>
            <Text size="sm" c="dimmed">
              {p.sku} · {p.category}
            </Text>
            <Group gap={6}>
              <StockBadge state={p.stock_state} />
              <Text size="sm">{formatInteger(p.stock)}</Text>
            </Group>
          </Group>
          {p.forecast !== null && (
            <Group gap={6} mt={4} wrap="nowrap" align="flex-start">
              <div style={{ flexShrink: 0 }}>
                <NeedBadge forecast={p.forecast} withTooltip={false} />
              </div>
              <Text size="xs" c="dimmed">
                {p.forecast.reason}
              </Text>
            </Group>
          )}
        </Paper>
      ))}
    </Stack>
  );
}
