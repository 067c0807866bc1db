import { useCallback, useMemo } from 'react';
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
  const update = useCallback<UpdateList<S>>(
    (patch, options) => {
      setParams(
        (current) => {
          const next = codec.serialize(applyListPatch(codec.parse(current), patch));
          for (const key of PANEL_PARAMS) {
            const value = current.get(key);
            if (value !== null) next.set(key, value);
          }
          return next;
        },
        { replace: options?.replace ?? false },
      );
    },
    [codec, setParams],
  );
  return [state, update];
}
