import { QueryClient } from '@tanstack/react-query';

import { isApiError } from './errors';

/** Retry network blips and 5xx once or twice; never retry a client error (401, 403, 404, 422...). */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}
