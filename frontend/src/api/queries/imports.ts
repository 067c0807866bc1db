/** Imports: presets and fields, upload, start, progress (polled), cancel and the list. Keys are `['imports', ...]`. */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { client } from '../client/client.gen';
import { formDataBodySerializer } from '../client/core/bodySerializer.gen';
import type { ApiError } from '../errors';

// INTERIM until the backend's routes land and `make api` generates these.
export type ImportKind = 'customers' | 'orders' | 'products';
export type ImportStatus = 'uploaded' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export type ImportPresetOut = { id: string; label: string; kind: ImportKind; description: string };
export type ImportFieldOut = { id: string; label: string; required: boolean; help: string | null };
export type ImportUploadOut = {
  id: number;
  status: ImportStatus;
  filename: string;
  kind: ImportKind;
  headers: string[];
  preview: string[][];
  preset: string | null;
  mapping: Record<string, string | null>;
};
export type ImportOut = {
  id: number;
  status: ImportStatus;
  kind: ImportKind;
  filename: string;
  rows_total: number | null;
  rows_done: number;
  rows_imported: number;
  rows_failed: number;
  rows_per_second: number | null;
  seconds_left: number | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  created_by: string | null;
};
export type ImportStart = { mapping: Record<string, string | null>; preset: string | null; options: { product_sku: string | null } };

export const importKeys = {
  all: ['imports'] as const,
  presets: () => ['imports', 'presets'] as const,
  fields: (kind: ImportKind) => ['imports', 'fields', kind] as const,
  list: () => ['imports', 'list'] as const,
  details: (id: number) => ['imports', 'details', id] as const,
  /** What the upload answered (headers, preview, guessed mapping): kept for the mapping step. */
  upload: (id: number) => ['imports', 'upload', id] as const,
};

/** How often a running import is asked for its progress. */
const PROGRESS_POLL_MS = 1_000;
/** How often the list is refreshed while one of its imports still runs. */
const LIST_POLL_MS = 5_000;

const FINISHED: readonly ImportStatus[] = ['done', 'failed', 'cancelled'];

export function useImportPresets() {
  return useQuery(
    queryOptions<ImportPresetOut[], ApiError>({
      queryKey: importKeys.presets(),
      queryFn: async ({ signal }) => {
        const { data } = await client.get<{ 200: ImportPresetOut[] }, unknown, true>({ url: '/api/imports/presets', signal, throwOnError: true });
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
        const { data } = await client.get<{ 200: ImportFieldOut[] }, unknown, true>({
          url: '/api/imports/fields',
          query: { kind: kind ?? 'customers' },
          signal,
          throwOnError: true,
        });
        return data;
      },
      staleTime: Infinity,
      enabled: kind !== null,
    }),
  );
}

/** An import, polled every second until it has finished. */
export function useImport(id: number | null) {
  return useQuery({
    ...queryOptions<ImportOut, ApiError>({
      queryKey: importKeys.details(id ?? 0),
      queryFn: async ({ signal }) => {
        const { data } = await client.get<{ 200: ImportOut }, unknown, true>({
          url: '/api/imports/{import_id}',
          path: { import_id: id ?? 0 },
          signal,
          throwOnError: true,
        });
        return data;
      },
    }),
    enabled: id !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === undefined || status === 'uploaded' || FINISHED.includes(status) ? false : PROGRESS_POLL_MS;
    },
  });
}

/**
 * The upload's answer for the mapping step. Set by the upload itself; after a reload it is asked
 * of the server, and is null when the server does not give the preview again.
 */
export function useUploadedFile(id: number | null, enabled: boolean) {
  return useQuery(
    queryOptions<ImportUploadOut | null, ApiError>({
      queryKey: importKeys.upload(id ?? 0),
      queryFn: async ({ signal }) => {
        const { data } = await client.get<{ 200: Partial<ImportUploadOut> & ImportOut }, unknown, true>({
          url: '/api/imports/{import_id}',
          path: { import_id: id ?? 0 },
          signal,
          throwOnError: true,
        });
        const { headers, preview, mapping } = data;
        if (headers === undefined || preview === undefined || mapping === undefined) return null;
        return { ...data, headers, preview, mapping, preset: data.preset ?? null };
      },
      staleTime: Infinity,
      enabled: id !== null && enabled,
    }),
  );
}

export function useImportList() {
  return useQuery({
    ...queryOptions<ImportOut[], ApiError>({
      queryKey: importKeys.list(),
      queryFn: async ({ signal }) => {
        const { data } = await client.get<{ 200: { items: ImportOut[] } }, unknown, true>({ url: '/api/imports', signal, throwOnError: true });
        return data.items;
      },
      staleTime: 10_000,
    }),
    refetchInterval: (query) =>
      (query.state.data ?? []).some((i) => i.status === 'queued' || i.status === 'running') ? LIST_POLL_MS : false,
  });
}

export function useUploadImport() {
  const queryClient = useQueryClient();
  return useMutation<ImportUploadOut, ApiError, { file: File; kind: ImportKind }>({
    mutationFn: async ({ file, kind }) => {
      const { data } = await client.post<{ 201: ImportUploadOut }, unknown, true>({
        url: '/api/imports',
        body: { file, kind },
        ...formDataBodySerializer,
        headers: { 'Content-Type': null },
        throwOnError: true,
      });
      return data;
    },
    onSuccess: (answer) => {
      queryClient.setQueryData(importKeys.upload(answer.id), answer);
      return queryClient.invalidateQueries({ queryKey: importKeys.list() });
    },
  });
}

export function useStartImport() {
  const queryClient = useQueryClient();
  return useMutation<ImportOut, ApiError, { id: number; body: ImportStart }>({
    mutationFn: async ({ id, body }) => {
      const { data } = await client.post<{ 202: ImportOut }, unknown, true>({
        url: '/api/imports/{import_id}/start',
        path: { import_id: id },
        body,
        throwOnError: true,
      });
      return data;
    },
    onSuccess: (answer, { id }) => {
      queryClient.setQueryData(importKeys.details(id), answer);
      return queryClient.invalidateQueries({ queryKey: importKeys.list() });
    },
  });
}

export function useCancelImport() {
  const queryClient = useQueryClient();
  return useMutation<null, ApiError, number>({
    mutationFn: async (id) => {
      await client.post({ url: '/api/imports/{import_id}/cancel', path: { import_id: id }, throwOnError: true });
      return null;
    },
    onSuccess: (_answer, id) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: importKeys.details(id) }),
        queryClient.invalidateQueries({ queryKey: importKeys.list() }),
      ]),
  });
}
