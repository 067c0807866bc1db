import { BarsList } from '@mantine/charts';
import { Paper, Table, Text } from '@mantine/core';

import type { TopCategory, TopProduct } from '@/api/client';
import { formatInteger, formatMoney } from '@/lib/format';

function Empty() {
  return (
    <Text size="sm" c="dimmed">
      No sales in this period.
    </Text>
  );
}

export function TopProducts({ products }: { products: TopProduct[] }) {
  return (
    <Paper withBorder radius="md" p="md" h="100%">
      <Text fw={600} mb="sm" id="top-products">
        Top products
      </Text>
      {products.length === 0 ? (
        <Empty />
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table aria-labelledby="top-products" verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Product</Table.Th>
                <Table.Th ta="right">Units</Table.Th>
                <Table.Th ta="right">Sales</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {products.map((p) => (
                <Table.Tr key={p.product_id}>
                  <Table.Td>
                    <Text size="sm" fw={500} lineClamp={1}>
                      {p.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {p.sku} · {p.category}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{formatInteger(p.units)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(p.sales)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

export function TopCategories({ categories }: { categories: TopCategory[] }) {
  return (
    <Paper withBorder radius="md" p="md" h="100%">
      <Text fw={600} mb="sm">
        Top categories
      </Text>
      {categories.length === 0 ? (
        <Empty />
      ) : (
        <BarsList
          barsLabel="Category"
          valueLabel="Sales"
          barColor="blue.1"
          data={categories.map((c) => ({ name: c.category, value: Number(c.sales) }))}
          valueFormatter={(value) => formatMoney(value.toFixed(2))}
        />
      )}
    </Paper>
  );
}
