import { Alert, Anchor, Badge, Grid, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';

import type { Dashboard } from '@/api/client';
import { useDashboard, useDashboardLive } from '@/api/queries/dashboard';
import type { DashboardQuery } from '@/api/queries/dashboard';
import { useCurrentUser } from '@/components/currentUser';
import { QueryError } from '@/components/QueryError';
import { MetricCard } from '@/features/dashboard/MetricCard';
import { PeriodPicker } from '@/features/dashboard/PeriodPicker';
import type { Period } from '@/features/dashboard/PeriodPicker';
import { SalesChart } from '@/features/dashboard/SalesChart';
import { StatusBreakdown } from '@/features/dashboard/StatusBreakdown';
import { StockAlertsCard } from '@/features/dashboard/StockAlertsCard';
import { TopCategories, TopProducts } from '@/features/dashboard/TopLists';
import { formatDay, formatInteger, formatMoney } from '@/lib/format';
import { isAvailable, pagesFor } from '@/navigation';

const PERIODS: readonly Period[] = ['7d', '30d', '90d', 'custom'];

/** The period lives in the URL (?period=7d, or ?period=custom&from=...&to=...), so a reload keeps it. */
function useDashboardQuery(): [DashboardQuery, (next: DashboardQuery) => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get('period');
  const period: Period = PERIODS.includes(raw as Period) ? (raw as Period) : '30d';
  const query: DashboardQuery =
    period === 'custom' ? { period, from: params.get('from') ?? '', to: params.get('to') ?? '' } : { period };
  const set = (next: DashboardQuery) => {
    const search = new URLSearchParams();
    if (next.period && next.period !== '30d') search.set('period', next.period);
    if (next.period === 'custom') {
      search.set('from', next.from ?? '');
      search.set('to', next.to ?? '');
    }
    setParams(search);
  };
  return [query, set];
}

function Metrics({ data }: { data: Dashboard }) {
  const money = (v: string) => formatMoney(v);
  return (
    <SimpleGrid cols={{ base: 2, md: 3 }} spacing="md">
      <MetricCard
        testId="metric-sales"
        label="Sales"
        value={money(data.sales.value)}
        previous={money(data.sales.previous)}
        changePct={data.sales.change_pct}
      />
      <MetricCard
        testId="metric-orders"
        label="Orders"
        value={formatInteger(data.orders.value)}
        previous={formatInteger(data.orders.previous)}
        changePct={data.orders.change_pct}
      />
      <MetricCard
        testId="metric-aov"
        label="Average order value"
        value={money(data.average_order_value.value)}
        previous={money(data.average_order_value.previous)}
        changePct={data.average_order_value.change_pct}
      />
      <MetricCard
        testId="metric-active-customers"
        label="Active customers"
        value={formatInteger(data.active_customers.value)}
        previous={formatInteger(data.active_customers.previous)}
        changePct={data.active_customers.change_pct}
      />
      <MetricCard
        testId="metric-new-customers"
        label="New customers"
        value={formatInteger(data.new_customers.value)}
        previous={formatInteger(data.new_customers.previous)}
        changePct={data.new_customers.change_pct}
      />
      <StockAlertsCard count={data.stock_alerts} />
    </SimpleGrid>
  );
}

function Workspace() {
  const user = useCurrentUser();
  const pages = pagesFor(user.role).filter(isAvailable);
  return (
    <Paper withBorder radius="md" p="md">
      <Text fw={600} mb="xs">
        Your workspace
      </Text>
      <Group gap="lg">
        {pages.map((page) => (
          <Anchor key={page.path} component={Link} to={page.path} size="sm" data-testid={`area-${page.path.slice(1)}`}>
            {page.label}
          </Anchor>
        ))}
      </Group>
    </Paper>
  );
}

function Loading() {
  return (
    <Stack gap="md" aria-busy="true" aria-label="Loading the dashboard">
      <SimpleGrid cols={{ base: 2, md: 3 }} spacing="md">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} h={96} radius="md" />
        ))}
      </SimpleGrid>
      <Skeleton h={300} radius="md" />
    </Stack>
  );
}

export default function DashboardPage() {
  const user = useCurrentUser();
  const firstName = user.full_name.trim().split(/\s+/)[0] ?? user.full_name;
  const [query, setQuery] = useDashboardQuery();
  const incomplete = query.period === 'custom' && (!query.from || !query.to);
  const dashboard = useDashboard(query);
  const live = useDashboardLive();
  const data = incomplete ? undefined : dashboard.data;
  const empty = data !== undefined && Object.values(data.orders_by_status).every((n) => n === 0);

  return (
    <Stack gap="lg" maw={1400}>
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="md">
        <div>
          <Title order={1} size="h2">
            Welcome, {firstName}
          </Title>
          <Text c="dimmed" mt={4} size="sm">
            {data
              ? `${formatDay(data.date_from)} – ${formatDay(data.date_to)}, against the ${formatInteger(
                  (Date.parse(data.date_to) - Date.parse(data.date_from)) / 86_400_000 + 1,
                )} days before (days in ${data.timezone})`
              : 'Your store at a glance'}
          </Text>
        </div>
        <Group gap="sm" align="flex-end">
          <PeriodPicker key={`${query.period}-${query.from}-${query.to}`} query={query} onChange={setQuery} />
          <Badge
            variant="dot"
            color={live.isError ? 'red' : 'teal'}
            title="Figures refresh by themselves when an order arrives"
          >
            {live.isError ? 'Live updates paused' : 'Live'}
          </Badge>
        </Group>
      </Group>

      {incomplete ? (
        <Alert variant="light" title="Choose a range">
          Pick the first and the last day of the period, then Apply.
        </Alert>
      ) : dashboard.isError ? (
        <QueryError
          title="Could not load the dashboard"
          error={dashboard.error}
          onRetry={() => void dashboard.refetch()}
          retrying={dashboard.isFetching}
        />
      ) : data === undefined ? (
        <Loading />
      ) : (
        <>
          <Metrics data={data} />
          {empty ? (
            <Paper withBorder radius="md" p="xl" data-testid="dashboard-empty">
              <Text fw={600}>No orders in this period yet</Text>
              <Text size="sm" c="dimmed" mt={4}>
                Orders sent by your storefront appear here within seconds. Try a longer period, or see{' '}
                <Anchor component={Link} to="/orders" inherit>
                  all orders
                </Anchor>
                .
              </Text>
            </Paper>
          ) : (
            <SalesChart series={data.series} />
          )}
          <Grid gap="md">
            <Grid.Col span={{ base: 12, md: 6 }}>
              <TopProducts products={data.top_products} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
              <TopCategories categories={data.top_categories} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
              <StatusBreakdown counts={data.orders_by_status} />
            </Grid.Col>
          </Grid>
        </>
      )}
      <Workspace />
    </Stack>
  );
}
