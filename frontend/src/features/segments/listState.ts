/**
 * The Segments page as URL state: which segment is open (`segment=12`, or `segment=new` while one is
 * being created) and its members list's sort and page. Reload and back restore all of it; the
 * customer panel's `customer=` parameter rides along (lib/useUrlListState keeps it).
 */
import type { CustomerSort } from '@/api/client';
import { parseEnum, parsePaging, parsePositiveInt, writePaging } from '@/lib/listState';
import type { Paging, SortDirection } from '@/lib/listState';
import type { ListCodec } from '@/lib/useUrlListState';

export const MEMBER_SORTS: readonly CustomerSort[] = [
  'name',
  'email',
  'status',
  'country',
  'total_spend',
  'total_orders',
  'created_at',
  'last_order_at',
  'tier',
];
export const DEFAULT_MEMBER_SORT: CustomerSort = 'created_at';
export const DEFAULT_MEMBER_DIRECTION: SortDirection = 'desc';

/** No segment open (the list), a new one being built, or a saved one by id. */
export type OpenSegment = number | 'new' | undefined;

export type SegmentsPageState = Paging & {
  segment: OpenSegment;
  sort: CustomerSort;
  dir: SortDirection;
};

function parseSegment(value: string | null): OpenSegment {
  if (value === 'new') return 'new';
  return parsePositiveInt(value);
}

export function parseSegmentsPageState(params: URLSearchParams): SegmentsPageState {
  return {
    segment: parseSegment(params.get('segment')),
    sort: parseEnum(params.get('sort'), MEMBER_SORTS) ?? DEFAULT_MEMBER_SORT,
    dir: parseEnum(params.get('dir'), ['asc', 'desc'] as const) ?? DEFAULT_MEMBER_DIRECTION,
    ...parsePaging(params),
  };
}

export function serializeSegmentsPageState(state: SegmentsPageState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.segment !== undefined) params.set('segment', String(state.segment));
  if (state.sort !== DEFAULT_MEMBER_SORT || state.dir !== DEFAULT_MEMBER_DIRECTION) {
    params.set('sort', state.sort);
    params.set('dir', state.dir);
  }
  writePaging(params, state);
  return params;
}

export const segmentsPageCodec: ListCodec<SegmentsPageState> = {
  parse: parseSegmentsPageState,
  serialize: serializeSegmentsPageState,
};

/** The link to a segment's page (from anywhere, e.g. the customer panel). */
export function segmentHref(id: number): string {
  return `/segments?segment=${String(id)}`;
}
