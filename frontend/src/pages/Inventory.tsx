import { Anchor, Button, Group, NumberInput, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';

import type { InventorySort } from '@/api/client';
import { useForecastSummary, useInventoryList, useInventoryStats } from '@/api/queries/inventory';
import { useCurrentUser, canWrite } from '@/components/currentUser';
import { ListPage } from '@/components/ListPage';
import { SearchInput } from '@/components/SearchInput';
import { SortSelect } from '@/components/SortSelect';
import type { SortOption } from '@/components/SortSelect';
import { UrlMultiSelect } from '@/components/UrlMultiSelect';
import { ForecastPanel } from '@/features/inventory/ForecastPanel';
import { InventoryCards, InventoryTable } from '@/features/inventory/InventoryTable';
import {
  csvExportHref,
  inventoryListCodec,
  NEED_LABELS,
  NEED_LEVELS,
  priceRangeError,
  STOCK_STATE_LABELS,
  STOCK_STATES,
  toInventoryQuery,
} from '@/features/inventory/listState';
import { ProductDrawer } from '@/features/inventory/ProductDrawer';
import { formatInteger, formatMoney } from '@/lib/format';
import { parseEnumList } from '@/lib/listState';
import { PRODUCT_PANEL_PARAM } from '@/lib/panelParams';
import { useUrlListState } from '@/lib/useUrlListState';

const SORT_OPTIONS: readonly SortOption<InventorySort>[] = [
  { sort: 'name', dir: 'asc', label: 'Name' },
  { sort: 'stock', dir: 'asc', label: 'Least stock' },
  { sort: 'need', dir: 'desc', label: 'Most urgent need' },
  { sort: 'days_of_cover', dir: 'asc', label: 'Fewest days of cover' },
  { sort: 'price', dir: 'desc', label: 'Highest price' },
  { sort: 'price', dir: 'asc', label: 'Lowest price' },
  { sort: 'sku', dir: 'asc', label: 'SKU' },
  { sort: 'category', dir: 'asc', label: 'Category' },
];

function toNumber(value: number | string): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** A price bound typed in a box, applied when the box loses focus or Enter is pressed. */
function PriceInput({ label, value, onCommit, error }: { label: string; value: number | undefined; onCommit: (v: number | undefined) => void; error?: string | null }) {
  const [text, setText] = useState<number | string>(value ?? '');
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    setText(value ?? '');
  }
  const commit = () => {
    const next = toNumber(text);
    if (next !== value) onCommit(next);
  };
  return (
    <NumberInput
      label={label}
      value={text}
      onChange={setText}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
      min={0}
      decimalScale={2}
      allowNegative={false}
      prefix="$"
      w={{ base: '48%', sm: 120 }}
      error={error ?? undefined}
    />
  );
}

function Figures() {
  const stats = useInventoryStats();
  const forecast = useForecastSummary();
  if (stats.data === undefined) return null;
  const s = stats.data;
  const items = [
    { label: 'Products', value: formatInteger(s.products) },
    { label: 'Units on hand', value: formatInteger(s.units) },
    { label: 'Value at cost', value: formatMoney(s.value_at_cost) },
    { label: 'Value at price', value: formatMoney(s.value_at_price) },
    { label: 'Low stock', value: formatInteger(s.low) },
    { label: 'Out of stock', value: formatInteger(s.out) },
  ];
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm" aria-label="Stock figures">
        {items.map((item) => (
          <Paper key={item.label} withBorder radius="md" p="sm">
            <Text size="xs" c="dimmed">
              {item.label}
            </Text>
            <Text fw={700} size="md">
              {item.value}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      {forecast.data !== undefined && <ForecastPanel summary={forecast.data} />}
    </Stack>
  );
}

export default function InventoryPage() {
  const [state, update] = useUrlListState(inventoryListCodec);
  const query = useMemo(() => toInventoryQuery(state), [state]);
  const list = useInventoryList(query);
  const stats = useInventoryStats();
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const raw = params.get(PRODUCT_PANEL_PARAM);
  const productId = raw !== null && /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null;
  const productHref = useCallback(
    (id: number) => {
      const next = new URLSearchParams(params);
      next.set(PRODUCT_PANEL_PARAM, String(id));
      return `?${next.toString()}`;
    },
    [params],
  );
  const closeProduct = () =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.delete(PRODUCT_PANEL_PARAM);
      return next;
    });
  const rangeError = priceRangeError(state.minPrice, state.maxPrice);
  const filtering =
    state.q !== '' ||
    state.categories.length > 0 ||
    state.minPrice !== undefined ||
    state.maxPrice !== undefined ||
    state.states.length > 0 ||
    state.needs.length > 0;
  const clearAll = () => update({ q: '', categories: [], minPrice: undefined, maxPrice: undefined, states: [], needs: [] });
  const categories = (stats.data?.categories ?? []).map((c) => c.category);

  return (
    <ListPage
      title="Inventory"
      description="Products and stock levels, with low-stock alerts and the predicted need to reorder."
      actions={
        <Button component="a" href={csvExportHref(state)} download variant="default" data-testid="export-csv">
          Export CSV
        </Button>
      }
      above={<Figures />}
      controlsAlign="flex-start"
      controls={
        <>
          <SearchInput
            label="Search"
            placeholder="Name or SKU"
            value={state.q}
            onSearch={(q) => update({ q }, { replace: true })}
            w={{ base: '100%', sm: 220 }}
          />
          <UrlMultiSelect
            label="Category"
            placeholder={state.categories.length === 0 ? 'All' : undefined}
            data={[...new Set([...categories, ...state.categories])]}
            value={state.categories}
            onChange={(value) => update({ categories: value })}
            clearable
            searchable
            w={{ base: '100%', sm: 220 }}
          />
          <Group gap="xs" align="flex-start" wrap="nowrap" w={{ base: '100%', sm: 'auto' }}>
            <PriceInput label="Min price" value={state.minPrice} onCommit={(minPrice) => update({ minPrice })} />
            <PriceInput label="Max price" value={state.maxPrice} onCommit={(maxPrice) => update({ maxPrice })} error={rangeError} />
          </Group>
          <UrlMultiSelect
            label="Stock"
            placeholder={state.states.length === 0 ? 'Any' : undefined}
            data={STOCK_STATES.map((s) => ({ value: s, label: STOCK_STATE_LABELS[s] }))}
            value={state.states}
            onChange={(value) => update({ states: parseEnumList(value, STOCK_STATES) })}
            clearable
            w={{ base: '100%', sm: 200 }}
          />
          <UrlMultiSelect
            label="Need"
            placeholder={state.needs.length === 0 ? 'Any' : undefined}
            data={NEED_LEVELS.map((n) => ({ value: n, label: NEED_LABELS[n] }))}
            value={state.needs}
            onChange={(value) => update({ needs: parseEnumList(value, NEED_LEVELS) })}
            clearable
            w={{ base: '100%', sm: 200 }}
          />
        </>
      }
      sortSelect={<SortSelect options={SORT_OPTIONS} sort={state.sort} dir={state.dir} onChange={(sort, dir) => update({ sort, dir })} />}
      appliedFilters={filtering ? { chips: [], onClear: clearAll } : undefined}
      query={list}
      errorTitle="Could not load products"
      empty={{
        title: 'No products match',
        message: filtering ? 'Try another search or fewer filters.' : 'There are no products yet.',
        action: filtering ? { label: 'Clear filters', onClick: clearAll } : undefined,
      }}
      table={({ items, loading, dimmed }) => (
        <InventoryTable
          products={items}
          loading={loading}
          dimmed={dimmed}
          sort={state.sort}
          direction={state.dir}
          onSort={(sort, dir) => update({ sort, dir })}
          productHref={productHref}
        />
      )}
      cards={({ items, loading, dimmed }) => <InventoryCards products={items} loading={loading} dimmed={dimmed} productHref={productHref} />}
      pagination={{ label: 'Products pages', paging: state, onChange: update }}
    >
      <ProductDrawer productId={productId} onClose={closeProduct} canWrite={canWrite(user.role)} />
      {stats.data !== undefined && stats.data.alerts_total > 0 && (
        <Text size="sm" c="dimmed">
          {formatInteger(stats.data.alerts_total)} stock alerts:{' '}
          <Anchor component="button" type="button" onClick={() => update({ states: ['low', 'out'], sort: 'stock', dir: 'asc' })}>
            show low and out of stock
          </Anchor>
        </Text>
      )}
    </ListPage>
  );
}
