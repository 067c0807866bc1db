import { CompositeChart } from '@mantine/charts';
import { Paper, Text } from '@mantine/core';

import type { DayPoint } from '@/api/client';
import { formatInteger } from '@/lib/format';

function shortDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** Daily sales (area, left axis) and orders (line, right axis) over the period, days in the store's zone. */
export function SalesChart({ series }: { series: DayPoint[] }) {
  const data = series.map((p) => ({ day: shortDay(p.day), sales: Number(p.sales), orders: p.orders }));
  return (
    <Paper withBorder radius="md" p="md">
      <Text fw={600} mb="sm">
        Sales and orders per day
      </Text>
      <CompositeChart
        h={260}
        data={data}
        dataKey="day"
        withLegend
        withRightYAxis
        curveType="monotone"
        withDots={data.length <= 31}
        yAxisProps={{ width: 70 }}
        rightYAxisProps={{ width: 40 }}
        valueFormatter={(value) => formatInteger(value)}
        series={[
          { name: 'sales', label: 'Sales', color: 'blue.6', type: 'area' },
          { name: 'orders', label: 'Orders', color: 'orange.7', type: 'line', yAxisId: 'right' },
        ]}
        aria-label="Chart of daily sales and orders"
      />
    </Paper>
  );
}
