/** The audit log (admins only). Keys are `['audit', ...]`. */
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { auditList } from '../client';
import type { AuditListData, AuditPage } from '../client';
import type { ApiError } from '../errors';

export type AuditListQuery = NonNullable<AuditListData['query']>;

export const auditKeys = {
  all: ['audit'] as const,
  list: (query: AuditListQuery) => ['audit', 'list', query] as const,
};

export function auditListQueryOptions(query: AuditListQuery) {
  return queryOptions<AuditPage, ApiError>({
    queryKey: auditKeys.list(query),
    queryFn: async ({ signal }) => {
      const { data } = await auditList({ query, signal, throwOnError: true });
      return data;
    },
    staleTime: 10_000,
  });
}

/** A page of the log, newest first; the previous page stays on screen while the next one loads. */
export function useAuditList(query: AuditListQuery) {
  return useQuery({ ...auditListQueryOptions(query), placeholderData: keepPreviousData });
}
