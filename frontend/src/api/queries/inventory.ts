/** Inventory: the product list and its figures, a product's page and ledger, edits and stock adjustments. Keys are `['inventory', ...]`. */
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  inventoryAdjust,
  inventoryDetails,
  inventoryForecast,
  inventoryList,
  inventoryMovements,
  inventoryStats,
  inventoryUpdate,
} from '../client';
import type {
  AdjustmentIn,
  AdjustmentOut,
  ForecastSummary,
  InventoryListData,
  InventoryPage,
  InventoryStats,
  MovementPage,
  ProductDetails,
  ProductOut,
  ProductUpdate,
} from '../client';
import type { ApiError } from '../errors';

export type InventoryListQuery = NonNullable<InventoryListData['query']>;

export const inventoryKeys = {
  all: ['inventory'] as const,
  lists: () => ['inventory', 'list'] as const,
  list: (query: InventoryListQuery) => ['inventory', 'list', query] as const,
  stats: () => ['inventory', 'stats'] as const,
  forecast: () => ['inventory', 'forecast'] as const,
  details: (id: number) => ['inventory', 'details', id] as const,
  movements: (id: number) => ['inventory', 'movements', id] as const,
};

export function useInventoryList(query: InventoryListQuery) {
  return useQuery(
    queryOptions<InventoryPage, ApiError>({
      queryKey: inventoryKeys.list(query),
      queryFn: async ({ signal }) => {
        const { data } = await inventoryList({ query, signal, throwOnError: true });
        return data;
      },
      staleTime: 30_000,
      placeholderData: keepPreviousData,
    }),
  );
}

export function useInventoryStats() {
  return useQuery(
    queryOptions<InventoryStats, ApiError>({
      queryKey: inventoryKeys.stats(),
      queryFn: async ({ signal }) => {
        const { data } = await inventoryStats({ signal, throwOnError: true });
        return data;
      },
      staleTime: 30_000,
    }),
  );
}

/** The latest forecasting batch: its method, backtest against the naive baseline and need levels. */
export function useForecastSummary() {
  return useQuery(
    queryOptions<ForecastSummary, ApiError>({
      queryKey: inventoryKeys.forecast(),
      queryFn: async ({ signal }) => {
        const { data } = await inventoryForecast({ signal, throwOnError: true });
        return data;
      },
      staleTime: 60_000,
    }),
  );
}

export function useProductDetails(id: number | null) {
  return useQuery(
    queryOptions<ProductDetails, ApiError>({
      queryKey: inventoryKeys.details(id ?? 0),
      queryFn: async ({ signal }) => {
        const { data } = await inventoryDetails({ path: { product_id: id ?? 0 }, signal, throwOnError: true });
        return data;
      },
      staleTime: 30_000,
      enabled: id !== null,
    }),
  );
}

/** The newest 50 movements of a product. */
export function useProductMovements(id: number | null) {
  return useQuery(
    queryOptions<MovementPage, ApiError>({
      queryKey: inventoryKeys.movements(id ?? 0),
      queryFn: async ({ signal }) => {
        const { data } = await inventoryMovements({
          path: { product_id: id ?? 0 },
          query: { limit: 50 },
          signal,
          throwOnError: true,
        });
        return data;
      },
      staleTime: 10_000,
      enabled: id !== null,
    }),
  );
}

/** A change of stock or of a product's figures shows in the list, the figures, its page and its ledger. */
function useInvalidateInventory() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: inventoryKeys.all });
}

export function useAdjustStock() {
  const invalidate = useInvalidateInventory();
  return useMutation<AdjustmentOut, ApiError, { id: number; body: AdjustmentIn }>({
    mutationFn: async ({ id, body }) => {
      const { data } = await inventoryAdjust({ path: { product_id: id }, body, throwOnError: true });
      return data;
    },
    onSuccess: invalidate,
  });
}

export function useUpdateProduct() {
  const invalidate = useInvalidateInventory();
  return useMutation<ProductOut, ApiError, { id: number; body: ProductUpdate }>({
    mutationFn: async ({ id, body }) => {
      const { data } = await inventoryUpdate({ path: { product_id: id }, body, throwOnError: true });
      return data;
    },
    onSuccess: invalidate,
  });
}
