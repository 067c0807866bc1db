import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';

import { appendAll, parseEnum, parseEnumList, parsePaging, setParam, writePaging } from './listState';
import type { Paging, SortDirection } from './listState';
import { useUrlListState } from './useUrlListState';
import type { ListCodec } from './useUrlListState';

/** A small list state of its own (a lib test uses no feature's codec). */
type TestState = Paging & { q: string; status: string[]; tier: string | undefined; sort: string; dir: SortDirection };

const codec: ListCodec<TestState> = {
  parse: (params) => ({
    ...parsePaging(params),
    q: params.get('q') ?? '',
    status: parseEnumList(params.getAll('status'), ['active', 'inactive']),
    tier: parseEnum(params.get('tier'), ['gold', 'silver']),
    sort: parseEnum(params.get('sort'), ['name', 'email', 'created_at']) ?? 'created_at',
    dir: parseEnum(params.get('dir'), ['asc', 'desc']) ?? 'desc',
  }),
  serialize: (state) => {
    const params = new URLSearchParams();
    setParam(params, 'q', state.q);
    appendAll(params, 'status', state.status);
    setParam(params, 'tier', state.tier);
    if (state.sort !== 'created_at') params.set('sort', state.sort);
    if (state.dir !== 'desc') params.set('dir', state.dir);
    writePaging(params, state);
    return params;
  },
};

function setup(initial: string) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <MemoryRouter initialEntries={[initial]}>{children}</MemoryRouter>
  );
  return renderHook(
    () => {
      const [state, update] = useUrlListState(codec);
      return { state, update, location: useLocation() };
    },
    { wrapper },
  );
}

describe('useUrlListState', () => {
  it('reads the state from the URL', () => {
    const { result } = setup('/customers?q=ad&status=active&sort=name&dir=asc&cursor=abc&page=3');
    expect(result.current.state).toMatchObject({ q: 'ad', status: ['active'], sort: 'name', cursor: 'abc', page: 3 });
  });

  it('drops the cursor from the URL when the sort changes, keeping the open panel', () => {
    const { result } = setup('/customers?q=ad&sort=name&dir=asc&cursor=abc&page=3&customer=12');
    act(() => result.current.update({ sort: 'email', dir: 'desc' }));
    const params = new URLSearchParams(result.current.location.search);
    expect(params.get('sort')).toBe('email');
    expect(params.get('cursor')).toBeNull();
    expect(params.get('page')).toBeNull();
    expect(params.get('q')).toBe('ad');
    expect(params.get('customer')).toBe('12');
    expect(result.current.state.page).toBe(1);
  });

  it('keeps the filters when paging', () => {
    const { result } = setup('/customers?tier=gold');
    act(() => result.current.update({ cursor: 'next', page: 2 }));
    expect(result.current.location.search).toBe('?tier=gold&cursor=next&page=2');
  });

  it('keeps both of two updates made before the page re-renders', () => {
    const { result } = setup('/customers?q=ad');
    act(() => {
      result.current.update({ status: ['active'] });
      result.current.update({ tier: 'gold' });
    });
    const params = new URLSearchParams(result.current.location.search);
    expect(params.get('q')).toBe('ad');
    expect(params.getAll('status')).toEqual(['active']);
    expect(params.get('tier')).toBe('gold');
  });

  it('builds on the URL again once it moved on without this hook', () => {
    const { result } = setup('/customers?tier=gold');
    act(() => result.current.update({ status: ['active'] }));
    act(() => result.current.update({ tier: 'silver' }));
    expect(result.current.location.search).toBe('?status=active&tier=silver');
  });
});
