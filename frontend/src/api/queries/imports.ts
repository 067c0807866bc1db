/** Imports: presets and fields, upload, start, progress (polled), cancel and the list. Keys are `['imports', ...]`. */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { importsCancel, importsFields, importsGet, importsList, importsPresets, importsStart, importsUpload } from '../client';
import type {
  ImportDetail,
  ImportFieldOut,
  ImportKind,
  ImportList,
  ImportOut,
  ImportPresetOut,
  ImportStart,
  ImportStatus,
} from '../client';
import type { ApiError } from '../errors';

export const importKeys = {
  all: ['imports'] as const,
  presets: () => ['imports', 'presets'] as const,
  fields: (kind: ImportKind) => ['imports', 'fields', kind] as const,
  list: () => ['imports', 'list'] as const,
  details: (id: number) => ['imports', 'details', id] as const,
};

/** How often an import on its way is asked for its progress. */
const PROGRESS_POLL_MS = 1_000;
/** How often the list is refreshed while one of its imports is on its way. */
const LIST_POLL_MS = 5_000;

/** Statuses that still change by themselves (a worker is on them). */
export function isMoving(status: ImportStatus): boolean {
  return status === 'queued' || status === 'running';
}

export function useImportPresets() {
  return useQuery(
    queryOptions<ImportPresetOut[], ApiError>({
      queryKey: importKeys.presets(),
      queryFn: async ({ signal }) => {
        const { data } = await importsPresets({ signal, throwOnError: true });
        return data;
      },
      staleTime: Infinity,
    }),
  );
}

export function useImportFields(kind: ImportKind | null) {
  return useQuery(
    queryOptions<ImportFieldOut[], ApiError>({
      queryKey: importKeys.fields(kind ?? 'customers'),
      queryFn: async ({ signal }) => {
        const { data } = await importsFields({ query: { kind: kind ?? 'customers' }, signal, throwOnError: true });
        return data;
      },
      staleTime: Infinity,
      enabled: kind !== null,
    }),
  );
}

/**
 * An import with its headers, guessed mapping and first rows; asked for again every second while a
 * worker is on it, and no more once it has finished (or while it waits for its mapping).
 */
export function useImport(id: number | null) {
  return useQuery({
    ...queryOptions<ImportDetail, ApiError>({
      queryKey: importKeys.details(id ?? 0),
      queryFn: async ({ signal }) => {
        const { data } = await importsGet({ path: { import_id: id ?? 0 }, signal, throwOnError: true });
        return data;
      },
    }),
    enabled: id !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status !== undefined && isMoving(status) ? PROGRESS_POLL_MS : false;
    },
  });
}

/** The newest imports (the API's first page, 50). Refreshed while one of them is on its way. */
export function useImportList() {
  return useQuery({
    ...queryOptions<ImportList, ApiError>({
      queryKey: importKeys.list(),
      queryFn: async ({ signal }) => {
        const { data } = await importsList({ signal, throwOnError: true });
        return data;
      },
      staleTime: 10_000,
    }),
    refetchInterval: (query) => ((query.state.data?.items ?? []).some((i) => isMoving(i.status)) ? LIST_POLL_MS : false),
  });
}

export function useUploadImport() {
  const queryClient = useQueryClient();
  return useMutation<ImportDetail, ApiError, { file: File; kind: ImportKind }>({
    mutationFn: async ({ file, kind }) => {
      const { data } = await importsUpload({ body: { file, kind }, throwOnError: true });
      return data;
    },
    onSuccess: (answer) => {
      // The mapping step opens on the upload's answer at once, without asking again.
      queryClient.setQueryData(importKeys.details(answer.id), answer);
      return queryClient.invalidateQueries({ queryKey: importKeys.list() });
    },
  });
}

export function useStartImport() {
  const queryClient = useQueryClient();
  return useMutation<ImportOut, ApiError, { id: number; body: ImportStart }>({
    mutationFn: async ({ id, body }) => {
      const { data } = await importsStart({ path: { import_id: id }, body, throwOnError: true });
      return data;
    },
    onSuccess: (answer, { id }) => {
      // Now queued: the progress step shows from this answer, and polling goes on from it.
      queryClient.setQueryData<ImportDetail>(importKeys.details(id), (old) => ({ ...answer, preview: old?.preview ?? [] }));
      return queryClient.invalidateQueries({ queryKey: importKeys.list() });
    },
  });
}

export function useCancelImport() {
  const queryClient = useQueryClient();
  return useMutation<ImportOut, ApiError, number>({
    mutationFn: async (id) => {
      const { data } = await importsCancel({ path: { import_id: id }, throwOnError: true });
      return data;
    },
    onSuccess: (_answer, id) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: importKeys.details(id) }),
        queryClient.invalidateQueries({ queryKey: importKeys.list() }),
      ]),
  });
}
