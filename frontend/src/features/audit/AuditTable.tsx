import { Code, Table, Text } from '@mantine/core';

import type { AuditEntryOut } from '@/api/client';
import { SkeletonRows } from '@/components/SkeletonRows';
import { formatDateTime, formatInteger } from '@/lib/format';

import { actionLabel } from './listState';

function details(entry: AuditEntryOut): string {
  return entry.details === null ? '' : JSON.stringify(entry.details);
}

/** The log's entries, newest first. Details hold ids and counts only, never a customer's data. */
export function AuditTable({ entries, loading, dimmed }: { entries: AuditEntryOut[]; loading: boolean; dimmed: boolean }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="xs" aria-label="Audit log" style={{ opacity: dimmed ? 0.6 : 1 }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Who</Table.Th>
            <Table.Th>What</Table.Th>
            <Table.Th>Record</Table.Th>
            <Table.Th ta="right">Rows</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {loading ? (
            <SkeletonRows columns={6} />
          ) : (
            entries.map((entry) => (
              <Table.Tr key={entry.id}>
                <Table.Td>{formatDateTime(entry.at)}</Table.Td>
                <Table.Td>{entry.actor_email ?? <Text span c="dimmed">system</Text>}</Table.Td>
                <Table.Td>
                  <Text size="sm">{actionLabel(entry.action)}</Text>
                  <Text size="xs" c="dimmed">
                    {entry.action}
                  </Text>
                </Table.Td>
                <Table.Td>{entry.target_type === null ? '—' : `${entry.target_type} #${String(entry.target_id ?? '')}`}</Table.Td>
                <Table.Td ta="right">{entry.row_count === null ? '—' : formatInteger(entry.row_count)}</Table.Td>
                <Table.Td>
                  <Code>{details(entry)}</Code>
                </Table.Td>
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The compact layout: one card-like block per entry. */
export function AuditList({ entries, loading }: { entries: AuditEntryOut[]; loading: boolean }) {
  if (loading) return <Text c="dimmed">Loading…</Text>;
  return (
    <ul aria-label="Audit log" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {entries.map((entry) => (
        <li key={entry.id} style={{ padding: '8px 0', borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
          <Text size="sm" fw={600}>
            {actionLabel(entry.action)}
            {entry.target_type !== null && ` · ${entry.target_type} #${String(entry.target_id ?? '')}`}
          </Text>
          <Text size="xs" c="dimmed">
            {formatDateTime(entry.at)} · {entry.actor_email ?? 'system'}
            {entry.row_count !== null && ` · ${formatInteger(entry.row_count)} ${entry.row_count === 1 ? 'row' : 'rows'}`}
          </Text>
        </li>
      ))}
    </ul>
  );
}
