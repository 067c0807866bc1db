/** Service health (public). Keys are `['health', ...]`. */
import { queryOptions, useQuery } from '@tanstack/react-query';

import { healthGet } from '../client';
import type { HealthOut } from '../client';
import type { ApiError } from '../errors';

export const healthKeys = {
  all: ['health'] as const,
};

export function healthQueryOptions() {
  return queryOptions<HealthOut, ApiError>({
    queryKey: healthKeys.all,
    queryFn: async ({ signal }) => {
      const { data } = await healthGet({ signal, throwOnError: true });
      return data;
    },
    staleTime: 30_000,
  });
}

export function useHealth() {
  return useQuery(healthQueryOptions());
}
