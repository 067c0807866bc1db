/**
 * Segments: the field catalog, the live preview, CRUD, members, changes and explanations, and the
 * segments a customer is in. Keys are `['segments', ...]`.
 */
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  customersSegments,
  segmentsChanges,
  segmentsCreate,
  segmentsDelete,
  segmentsExplain,
  segmentsFields,
  segmentsGet,
  segmentsList,
  segmentsMembers,
  segmentsPreview,
  segmentsUpdate,
} from '../client';
import type {
  CustomerPage,
  CustomerSegments,
  ExplainOut,
  FieldCatalog,
  PreviewOut,
  RuleGroupInput,
  SegmentChanges,
  SegmentIn,
  SegmentList,
  SegmentOut,
  SegmentsMembersData,
} from '../client';
import type { ApiError } from '../errors';

export type SegmentMembersQuery = NonNullable<SegmentsMembersData['query']>;

export const segmentKeys = {
  all: ['segments'] as const,
  fields: () => ['segments', 'fields'] as const,
  lists: () => ['segments', 'list'] as const,
  details: (id: number) => ['segments', 'details', id] as const,
  preview: (tree: RuleGroupInput) => ['segments', 'preview', tree] as const,
  /** `countedAt`: the refresh the members come from (a new refresh, a new list). */
  members: (id: number, query: SegmentMembersQuery, countedAt: string | null) =>
    ['segments', 'members', id, countedAt, query] as const,
  changes: (id: number, countedAt: string | null) => ['segments', 'changes', id, countedAt] as const,
  explain: (id: number, customerId: number) => ['segments', 'explain', id, customerId] as const,
  ofCustomer: (customerId: number) => ['segments', 'of-customer', customerId] as const,
};

/** The field catalog: changes with the data (countries, categories), so it is kept for a few minutes. */
export function segmentFieldsQueryOptions() {
  return queryOptions<FieldCatalog, ApiError>({
    queryKey: segmentKeys.fields(),
    queryFn: async ({ signal }) => {
      const { data } = await segmentsFields({ signal, throwOnError: true });
      return data;
    },
    staleTime: 5 * 60_000,
  });
}

export function useSegmentFields() {
  return useQuery(segmentFieldsQueryOptions());
}

export function segmentsListQueryOptions() {
  return queryOptions<SegmentList, ApiError>({
    queryKey: segmentKeys.lists(),
    queryFn: async ({ signal }) => {
      const { data } = await segmentsList({ signal, throwOnError: true });
      return data;
    },
    staleTime: 30_000,
  });
}

export function useSegmentsList() {
  return useQuery(segmentsListQueryOptions());
}

export function segmentDetailsQueryOptions(id: number) {
  return queryOptions<SegmentOut, ApiError>({
    queryKey: segmentKeys.details(id),
    queryFn: async ({ signal }) => {
      const { data } = await segmentsGet({ path: { segment_id: id }, signal, throwOnError: true });
      return data;
    },
    staleTime: 30_000,
  });
}

/** How often a segment not counted yet is asked for again (its first refresh runs in the background). */
const UNCOUNTED_POLL_MS = 3_000;

/** After a failed refresh the worker waits a minute or more before trying again: no need to ask as often. */
const FAILED_POLL_MS = 30_000;

/**
 * A counted segment is refreshed by the worker every minute (by default): an open segment page asks
 * again at that pace, so its members and its joined/left lists follow the refreshes.
 */
const COUNTED_POLL_MS = 60_000;

/**
 * A segment; while it has not been counted yet, asked for again every few seconds until it has (or,
 * once a refresh has failed and the page shows why, every half minute).
 */
export function useSegment(id: number | null) {
  return useQuery({
    ...segmentDetailsQueryOptions(id ?? 0),
    enabled: id !== null,
    refetchInterval: (query) => {
      const data = query.state.data;
      if (data === undefined) return false;
      if (data.counted_at !== null) return COUNTED_POLL_MS;
      return data.last_error === null ? UNCOUNTED_POLL_MS : FAILED_POLL_MS;
    },
  });
}

/**
 * The count (and per-condition counts) of a rule tree. Keyed by the tree itself: an answer for an
 * older tree lands in its own cache entry and is never shown for the current one (and its request
 * is cancelled when nothing watches it any more).
 */
export function segmentPreviewQueryOptions(tree: RuleGroupInput) {
  return queryOptions<PreviewOut, ApiError>({
    queryKey: segmentKeys.preview(tree),
    queryFn: async ({ signal }) => {
      const { data } = await segmentsPreview({ body: { rules: tree }, signal, throwOnError: true });
      return data;
    },
    staleTime: 30_000,
  });
}

/** The preview of a tree; the previous tree's answer stays on screen (marked) while the next one loads. */
export function useSegmentPreview(tree: RuleGroupInput, enabled: boolean) {
  return useQuery({ ...segmentPreviewQueryOptions(tree), enabled, placeholderData: keepPreviousData });
}

export function segmentMembersQueryOptions(id: number, query: SegmentMembersQuery, countedAt: string | null) {
  return queryOptions<CustomerPage, ApiError>({
    queryKey: segmentKeys.members(id, query, countedAt),
    queryFn: async ({ signal }) => {
      const { data } = await segmentsMembers({ path: { segment_id: id }, query, signal, throwOnError: true });
      return data;
    },
    staleTime: 30_000,
  });
}

/**
 * A page of a segment's members as of its refresh at `countedAt` (a newer refresh asks again); the
 * previous page stays on screen while the next one loads.
 */
export function useSegmentMembers(id: number | null, query: SegmentMembersQuery, countedAt: string | null) {
  return useQuery({
    ...segmentMembersQueryOptions(id ?? 0, query, countedAt),
    enabled: id !== null,
    placeholderData: keepPreviousData,
  });
}

/**
 * Who joined and left at the segment's last refresh and lately. Keyed by the refresh (`countedAt`, from
 * the segment itself): when a refresh lands, the lists are asked for again, as the members are.
 */
export function useSegmentChanges(id: number | null, countedAt: string | null) {
  return useQuery(
    queryOptions<SegmentChanges, ApiError>({
      queryKey: segmentKeys.changes(id ?? 0, countedAt),
      placeholderData: keepPreviousData,
      queryFn: async ({ signal }) => {
        const { data } = await segmentsChanges({ path: { segment_id: id ?? 0 }, signal, throwOnError: true });
        return data;
      },
      enabled: id !== null,
      staleTime: 30_000,
    }),
  );
}

export function useSegmentExplanation(id: number, customerId: number, enabled = true) {
  return useQuery(
    queryOptions<ExplainOut, ApiError>({
      queryKey: segmentKeys.explain(id, customerId),
      queryFn: async ({ signal }) => {
        const { data } = await segmentsExplain({
          path: { segment_id: id, customer_id: customerId },
          signal,
          throwOnError: true,
        });
        return data;
      },
      enabled,
      staleTime: 30_000,
    }),
  );
}

export function useCustomerSegments(customerId: number | null) {
  return useQuery(
    queryOptions<CustomerSegments, ApiError>({
      queryKey: segmentKeys.ofCustomer(customerId ?? 0),
      queryFn: async ({ signal }) => {
        const { data } = await customersSegments({
          path: { customer_id: customerId ?? 0 },
          signal,
          throwOnError: true,
        });
        return data;
      },
      enabled: customerId !== null,
      staleTime: 30_000,
    }),
  );
}

/** After a save or a delete: lists, members, changes and memberships may all have moved. */
function invalidateSegments(queryClient: ReturnType<typeof useQueryClient>) {
  return queryClient.invalidateQueries({
    queryKey: segmentKeys.all,
    predicate: (query) => query.queryKey[1] !== 'preview' && query.queryKey[1] !== 'fields',
  });
}

export function useCreateSegment() {
  const queryClient = useQueryClient();
  return useMutation<SegmentOut, ApiError, SegmentIn>({
    mutationFn: async (body) => {
      const { data } = await segmentsCreate({ body, throwOnError: true });
      return data;
    },
    onSuccess: (segment) => {
      queryClient.setQueryData(segmentKeys.details(segment.id), segment);
      return invalidateSegments(queryClient);
    },
  });
}

export function useUpdateSegment() {
  const queryClient = useQueryClient();
  return useMutation<SegmentOut, ApiError, { id: number; body: SegmentIn }>({
    mutationFn: async ({ id, body }) => {
      const { data } = await segmentsUpdate({ path: { segment_id: id }, body, throwOnError: true });
      return data;
    },
    onSuccess: (segment) => {
      queryClient.setQueryData(segmentKeys.details(segment.id), segment);
      return invalidateSegments(queryClient);
    },
  });
}

export function useDeleteSegment() {
  const queryClient = useQueryClient();
  return useMutation<undefined, ApiError, number>({
    mutationFn: async (id) => {
      await segmentsDelete({ path: { segment_id: id }, throwOnError: true });
      return undefined;
    },
    onSuccess: (_nothing, id) => {
      queryClient.removeQueries({ queryKey: segmentKeys.details(id) });
      return invalidateSegments(queryClient);
    },
  });
}

/** Where a segment's members download as CSV (a plain link: the browser streams the file). */
export function segmentMembersCsvUrl(id: number): string {
  return `/api/segments/${String(id)}/customers.csv`;
}
