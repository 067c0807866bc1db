import { describe, expect, it } from 'vitest';

import { applyListPatch } from '@/lib/listState';

import { parseSegmentsPageState, serializeSegmentsPageState } from './listState';

describe('the Segments page URL', () => {
  it('reads the open segment, the members sort and page; drops nonsense', () => {
    const state = parseSegmentsPageState(new URLSearchParams('segment=12&sort=total_spend&dir=asc&cursor=abc&page=3'));
    expect(state).toMatchObject({ segment: 12, sort: 'total_spend', dir: 'asc', cursor: 'abc', page: 3 });
    expect(parseSegmentsPageState(new URLSearchParams('segment=new')).segment).toBe('new');
    expect(parseSegmentsPageState(new URLSearchParams('segment=-1&sort=bogus')).segment).toBeUndefined();
  });

  it('writes short URLs and goes back to page 1 when another segment opens', () => {
    const state = parseSegmentsPageState(new URLSearchParams('segment=12&cursor=abc&page=3'));
    expect(serializeSegmentsPageState(state).toString()).toBe('segment=12&cursor=abc&page=3');
    const next = applyListPatch(state, { segment: 13 });
    expect(serializeSegmentsPageState(next).toString()).toBe('segment=13');
  });
});
