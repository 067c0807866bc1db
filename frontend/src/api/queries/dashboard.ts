/**
 * Dashboard: its figures, and the change token that keeps an open dashboard live. Keys are `['dashboard', ...]`.
 *
 * Live without cost: every 5 s the page asks `GET /api/dashboard/version` with the token it holds in
 * `If-None-Match`; the server answers 304 (two index probes, no aggregation) until an order or a status
 * change arrives, and only then is the dashboard itself fetched again.
 */
import { keepPreviousData, queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

import { dashboardGet, dashboardVersion } from '../client';
import type { Dashboard, DashboardGetData, DashboardVersion } from '../client';
import type { ApiError } from '../errors';

export type DashboardQuery = NonNullable<DashboardGetData['query']>;

export const VERSION_POLL_MS = 5_000;

export const dashboardKeys = {
  all: ['dashboard'] as const,
  figures: () => ['dashboard', 'figures'] as const,
  get: (query: DashboardQuery) => ['dashboard', 'figures', query] as const,
  version: () => ['dashboard', 'version'] as const,
};

export function dashboardQueryOptions(query: DashboardQuery) {
  return queryOptions<Dashboard, ApiError>({
    queryKey: dashboardKeys.get(query),
    queryFn: async ({ signal }) => {
      const { data } = await dashboardGet({ query, signal, throwOnError: true });
      return data;
    },
    // Fresh until the version says otherwise (see useDashboardLive).
    staleTime: Infinity,
  });
}

/** The figures for a period; the previous period's stay on screen while another one loads. */
export function useDashboard(query: DashboardQuery) {
  return useQuery({ ...dashboardQueryOptions(query), placeholderData: keepPreviousData });
}

/** The change token, asked conditionally: a 304 keeps the token held (and no re-render follows). */
export function useDashboardVersion(enabled = true) {
  const queryClient = useQueryClient();
  return useQuery<DashboardVersion, ApiError>({
    queryKey: dashboardKeys.version(),
    queryFn: async ({ signal }) => {
      const held = queryClient.getQueryData<DashboardVersion>(dashboardKeys.version());
      const headers = held ? { 'If-None-Match': `"${held.version}"` } : undefined;
      const { data, error, response } = await dashboardVersion({ headers, signal });
      if (response.status === 304 && held) return held;
      if (data !== undefined) return data;
      // The client's error interceptor (api/http.ts) has made it an ApiError.
      throw error as unknown as ApiError;
    },
    refetchInterval: VERSION_POLL_MS,
    refetchIntervalInBackground: false,
    enabled,
  });
}

/** Refetches the dashboard's figures whenever the change token moves (not on its first arrival). */
export function useDashboardLive() {
  const queryClient = useQueryClient();
  const version = useDashboardVersion();
  const token = version.data?.version;
  const seen = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (token === undefined) return;
    if (seen.current !== undefined && seen.current !== token) {
      void queryClient.invalidateQueries({ queryKey: dashboardKeys.figures() });
    }
    seen.current = token;
  }, [token, queryClient]);
  return version;
}
