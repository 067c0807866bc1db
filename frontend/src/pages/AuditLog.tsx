import { Select } from '@mantine/core';
import { useMemo } from 'react';

import { useAuditList } from '@/api/queries/audit';
import { ListPage } from '@/components/ListPage';
import { AuditList, AuditTable } from '@/features/audit/AuditTable';
import { AUDIT_ACTIONS, auditListCodec, toAuditQuery } from '@/features/audit/listState';
import { useUrlListState } from '@/lib/useUrlListState';

/** Admins only (the registry's `roles` and the API both say so): who downloaded or erased whose data, imports. */
export default function AuditLogPage() {
  const [state, update] = useUrlListState(auditListCodec);
  const query = useMemo(() => toAuditQuery(state), [state]);
  const list = useAuditList(query);
  const options = useMemo(
    () =>
      state.action === undefined || AUDIT_ACTIONS.some((a) => a.value === state.action)
        ? [...AUDIT_ACTIONS]
        : [...AUDIT_ACTIONS, { value: state.action, label: state.action }],
    [state.action],
  );
  return (
    <ListPage
      title="Audit log"
      description="Who downloaded or erased a customer’s personal data, and imports: newest first."
      controls={
        <Select
          label="Action"
          placeholder="Every action"
          data={options}
          value={state.action ?? null}
          onChange={(action) => update({ action: action ?? undefined })}
          clearable
          w={{ base: '100%', sm: 280 }}
        />
      }
      appliedFilters={
        state.action !== undefined
          ? {
              chips: [{ key: 'action', label: `Action: ${state.action}`, onRemove: () => update({ action: undefined }) }],
              onClear: () => update({ action: undefined }),
            }
          : undefined
      }
      query={list}
      errorTitle="Could not load the audit log"
      empty={{
        title: 'Nothing recorded',
        message: state.action !== undefined ? 'No entries for this action.' : 'No audited action has happened yet.',
        action: state.action !== undefined ? { label: 'Show every action', onClick: () => update({ action: undefined }) } : undefined,
      }}
      table={({ items, loading, dimmed }) => <AuditTable entries={items} loading={loading} dimmed={dimmed} />}
      cards={({ items, loading }) => <AuditList entries={items} loading={loading} />}
      pagination={{ label: 'Audit log pages', paging: state, onChange: update }}
    />
  );
}
