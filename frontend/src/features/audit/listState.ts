import type { AuditListQuery } from '@/api/queries/audit';
import { parsePaging, setParam, writePaging } from '@/lib/listState';
import type { Paging } from '@/lib/listState';
import type { ListCodec } from '@/lib/useUrlListState';

/** The actions ShopCRM writes today; the filter offers these (the API takes any action id). */
export const AUDIT_ACTIONS = [
  { value: 'customer.export', label: 'Personal data downloaded' },
  { value: 'customer.erase', label: 'Personal data erased' },
  { value: 'customer.suppression_lift', label: 'Erased email allowed again' },
  { value: 'import.start', label: 'Import started' },
  { value: 'import.finish', label: 'Import finished' },
] as const;

const ACTION_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

export type AuditListState = Paging & { action: string | undefined };

export const auditListCodec: ListCodec<AuditListState> = {
  parse: (params) => {
    const action = params.get('action');
    return { ...parsePaging(params), action: action !== null && ACTION_PATTERN.test(action) && action.length <= 64 ? action : undefined };
  },
  serialize: (state) => {
    const params = new URLSearchParams();
    setParam(params, 'action', state.action);
    writePaging(params, state);
    return params;
  },
};

export function toAuditQuery(state: AuditListState): AuditListQuery {
  const query: AuditListQuery = { limit: state.limit };
  if (state.action !== undefined) query.action = state.action;
  if (state.cursor !== undefined) query.cursor = state.cursor;
  return query;
}

export function actionLabel(action: string): string {
  return AUDIT_ACTIONS.find((a) => a.value === action)?.label ?? action;
}
