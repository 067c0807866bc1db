import { CompositeChart } from '@mantine/charts';
import { Alert, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';

import type { DailySales, ProductForecastOut } from '@/api/client';
import { formatDateTime, formatDay, formatInteger } from '@/lib/format';

import { backtestSentence, forecastChartData, formatCover, formatPercent, formatUnits } from './forecastFormat';
import { NeedBadge } from './NeedBadge';

function shortDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </div>
  );
}

/** A product's forecast: need and reason, the order to place, the series chart and the forecast's past error. */
export function ProductForecast({ forecast, sales }: { forecast: ProductForecastOut | null; sales: DailySales[] }) {
  if (forecast === null) {
    return (
      <Stack gap="xs" aria-label="Forecast">
        <Title order={3} size="h5">
          Forecast and reorder advice
        </Title>
        <Text c="dimmed" size="sm">
          Not computed yet: forecasts appear after the first forecasting run.
        </Text>
      </Stack>
    );
  }
  const enough = forecast.status === 'ok';
  const pct = Math.round(forecast.service_level * 100);
  const data = forecastChartData(sales, forecast).map((p) => ({ ...p, label: shortDay(p.day) }));
  const b = forecast.backtest;
  return (
    <Stack gap="xs" aria-label="Forecast">
      <Group justify="space-between" gap="xs">
        <Title order={3} size="h5">
          Forecast and reorder advice
        </Title>
        <NeedBadge forecast={forecast} withTooltip={false} />
      </Group>
      {enough ? (
        <>
          <Text size="sm" data-testid="need-reason">
            {forecast.reason}
          </Text>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
            <Figure label="Forecast, next 30 days" value={formatUnits(forecast.forecast_30d)} />
            <Figure label="Days of cover" value={formatCover(forecast.days_of_cover)} />
            <Figure label="Runs out" value={forecast.stockout_on === null ? '—' : formatDay(forecast.stockout_on)} />
            <Figure label="Suggested order" value={forecast.reorder_qty === null ? '—' : formatInteger(forecast.reorder_qty)} />
            <Figure label="Safety stock" value={formatUnits(forecast.safety_stock)} />
            <Figure label="Reorder point" value={formatUnits(forecast.reorder_point)} />
            <Figure label="Lead time" value={`${String(forecast.lead_days)} d`} />
            <Figure label="Stock then" value={formatInteger(forecast.stock)} />
          </SimpleGrid>
          <CompositeChart
            h={200}
            data={data}
            dataKey="label"
            withLegend
            curveType="linear"
            withDots={false}
            valueFormatter={(v) => formatUnits(v)}
            series={[
              { name: 'sold', label: 'Sold', color: 'blue.6', type: 'bar' },
              { name: 'past', label: 'Forecast of the last 30 days', color: 'orange.7', type: 'line' },
              { name: 'forecast', label: 'Forecast', color: 'teal.8', type: 'line' },
            ]}
            aria-label="Chart of units sold per day and the forecast"
          />
          <Text size="sm" data-testid="backtest-sentence">
            {b === null
              ? 'Past error: not enough history before the last 30 days to test the forecast on them.'
              : `Past error, ${backtestSentence(b, 30)} (naive: forecast ${formatUnits(b.naive)}, error ${formatPercent(b.naive_error)}).`}
          </Text>
          <Text size="xs" c="dimmed">
            {forecast.method_label} on {formatInteger(forecast.history_days)} days of daily sales. The suggested order covers the lead time and
            30 days after it, plus safety stock for a {pct}% chance of not running out during the lead time (1.645 × the daily spread × √lead
            time at 95%), minus the stock. Computed {formatDateTime(forecast.computed_at)}.
          </Text>
        </>
      ) : (
        <Alert color="gray" variant="light" title="Not enough history" data-testid="not-enough-history">
          {forecast.reason}. No forecast is shown rather than a made-up number.
        </Alert>
      )}
    </Stack>
  );
}
