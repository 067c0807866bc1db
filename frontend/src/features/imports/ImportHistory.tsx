import { Anchor, Card, Group, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';

import { SkeletonRows } from '@/components/SkeletonRows';
import { formatDateTime, formatInteger } from '@/lib/format';

import { errorFileHref } from './files';
import { ImportStatusBadge } from './ImportProgress';
import type { ImportState } from './ImportProgress';
import { KIND_LABELS, parseKind } from './kinds';

export type HistoryItem = ImportState & { created_at: string; created_by: string | null };

const COLUMNS = 7;

function KindText({ kind }: { kind: string }) {
  const k = parseKind(kind);
  return <>{k !== null ? KIND_LABELS[k] : kind}</>;
}

function Counts({ item }: { item: HistoryItem }) {
  return (
    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
      {formatInteger(item.rows_imported)} imported
      {item.rows_failed > 0 && (
        <Text span size="sm" c="red.8">
          {' '}
          · {formatInteger(item.rows_failed)} failed
        </Text>
      )}
    </Text>
  );
}

function ErrorLink({ item }: { item: HistoryItem }) {
  if (item.rows_failed === 0) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Anchor href={errorFileHref(item.id)} download size="sm" aria-label={`Error file of ${item.filename}, import ${String(item.id)}`}>
      Error file
    </Anchor>
  );
}

/** Past imports, newest first: what, when, by whom, how it went, and the error file of each. */
export function ImportHistoryTable({ items, loading, importHref }: { items: readonly HistoryItem[]; loading: boolean; importHref: (id: number) => string }) {
  return (
    <Table.ScrollContainer minWidth={760} type="native">
      <Table verticalSpacing="xs" aria-label="Past imports" data-testid="history-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">File</Table.Th>
            <Table.Th scope="col">Kind</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Rows</Table.Th>
            <Table.Th scope="col">By</Table.Th>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Errors</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {loading ? (
            <SkeletonRows rows={3} columns={COLUMNS} />
          ) : (
            items.map((item) => (
              <Table.Tr key={item.id} data-testid="history-row">
                <Table.Td maw={280} style={{ wordBreak: 'break-all' }}>
                  <Anchor component={Link} to={importHref(item.id)} size="sm" fw={500}>
                    {item.filename}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    <KindText kind={item.kind} />
                  </Text>
                </Table.Td>
                <Table.Td>
                  <ImportStatusBadge status={item.status} />
                </Table.Td>
                <Table.Td>
                  <Counts item={item} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{item.created_by ?? '—'}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {formatDateTime(item.created_at)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <ErrorLink item={item} />
                </Table.Td>
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The same list as cards, for a phone. */
export function ImportHistoryCards({ items, loading, importHref }: { items: readonly HistoryItem[]; loading: boolean; importHref: (id: number) => string }) {
  if (loading) return <Text size="sm" c="dimmed">Loading past imports…</Text>;
  return (
    <Stack gap="xs" component="ul" aria-label="Past imports" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {items.map((item) => (
        <Card key={item.id} withBorder radius="md" p="sm" component="li" data-testid="history-card">
          <Stack gap={4}>
            <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
              <Anchor component={Link} to={importHref(item.id)} size="sm" fw={600} style={{ wordBreak: 'break-all' }}>
                {item.filename}
              </Anchor>
              <ImportStatusBadge status={item.status} />
            </Group>
            <Text size="xs" c="dimmed">
              <KindText kind={item.kind} /> · {formatDateTime(item.created_at)}
              {item.created_by !== null && ` · ${item.created_by}`}
            </Text>
            <Group justify="space-between" gap="xs">
              <Counts item={item} />
              <ErrorLink item={item} />
            </Group>
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
