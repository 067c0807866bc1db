import { useCallback, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router';

import { PANEL_PARAMS } from './panelParams';
import { applyListPatch } from './listState';
import type { Paging } from './listState';

export type ListCodec<S extends Paging> = {
  parse: (params: URLSearchParams) => S;
  serialize: (state: S) => URLSearchParams;
};

export type UpdateList<S> = (patch: Partial<S>, options?: { replace?: boolean }) => void;

/**
 * A list's state, read from and written to the URL. Updates push a history entry unless
 * `replace` is set (typing in a search box); the open details panel is kept.
 */
export function useUrlListState<S extends Paging>(codec: ListCodec<S>): [S, UpdateList<S>] {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => codec.parse(params), [codec, params]);
  // React Router hands the updater the params of the last render, not the last write, so a
  // second update before the page re-renders (Enter in one price box, then in the next, on
  // a slow machine) would drop the first. The last write is kept here and built upon while
  // the rendered params are still the ones it was written over.
  const lastWrite = useRef<{ over: string; wrote: URLSearchParams } | null>(null);
  const update = useCallback<UpdateList<S>>(
    (patch, options) => {
      setParams(
        (current) => {
          const written = lastWrite.current;
          const base = written !== null && written.over === current.toString() ? written.wrote : current;
          const next = codec.serialize(applyListPatch(codec.parse(base), patch));
          for (const key of PANEL_PARAMS) {
            const value = base.get(key);
            if (value !== null) next.set(key, value);
          }
          lastWrite.current = { over: current.toString(), wrote: next };
          return next;
        },
        { replace: options?.replace ?? false },
      );
    },
    [codec, setParams],
  );
  return [state, update];
}
