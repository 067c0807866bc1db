import { Anchor, Paper, Skeleton, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';

import { SkeletonRows } from '@/components/SkeletonRows';
import { formatDateTime, formatInteger } from '@/lib/format';

import type { SegmentOut } from './apiTypes';

function Members({ segment }: { segment: SegmentOut }) {
  if (segment.last_error !== null && segment.member_count === null) {
    return (
      <Text span size="sm" c="red.9" fw={500} title={segment.last_error}>
        Could not count
      </Text>
    );
  }
  if (segment.member_count === null) {
    return (
      <Text span size="sm" c="dimmed">
        Not counted yet
      </Text>
    );
  }
  return <>{formatInteger(segment.member_count)}</>;
}

function Counted({ segment }: { segment: SegmentOut }) {
  const failed =
    segment.last_error !== null && segment.failed_at !== null ? (
      <Text span size="xs" c="red.9" display="block" title={segment.last_error} data-testid="segment-refresh-failed">
        Refresh failed {formatDateTime(segment.failed_at)}
      </Text>
    ) : null;
  if (segment.counted_at === null) return failed ?? <>—</>;
  return (
    <>
      <span title={segment.count_ms === null ? undefined : `Counted in ${formatInteger(segment.count_ms)} ms`}>
        {formatDateTime(segment.counted_at)}
      </span>
      {failed}
    </>
  );
}

export type SegmentsViewProps = {
  items: SegmentOut[];
  loading: boolean;
  dimmed?: boolean;
  segmentHref: (segment: SegmentOut) => string;
};

/** The segments as a table: name and description, members at the last refresh, and when that was. */
export function SegmentsTable({ items: segments, loading, dimmed = false, segmentHref }: SegmentsViewProps) {
  return (
    <Table
      striped
      highlightOnHover
      layout="fixed"
      verticalSpacing="xs"
      aria-label="Segments"
      aria-busy={loading || dimmed}
      style={{ opacity: dimmed ? 0.6 : 1 }}
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Segment</Table.Th>
          <Table.Th w={140} ta="right">
            Members
          </Table.Th>
          <Table.Th w={200}>Counted</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {loading ? (
          <SkeletonRows columns={[undefined, undefined, undefined]} />
        ) : (
          segments.map((segment) => (
            <Table.Tr key={segment.id} data-testid="segment-row">
              <Table.Td style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
                <Anchor component={Link} to={segmentHref(segment)} fw={500} size="sm">
                  {segment.name}
                </Anchor>
                {segment.description !== null && segment.description !== '' && (
                  <Text size="xs" c="dimmed" truncate title={segment.description}>
                    {segment.description}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">
                <Members segment={segment} />
              </Table.Td>
              <Table.Td>
                <Counted segment={segment} />
              </Table.Td>
            </Table.Tr>
          ))
        )}
      </Table.Tbody>
    </Table>
  );
}

/** The segments as cards, for phones. */
export function SegmentCards({ items: segments, loading, dimmed = false, segmentHref }: SegmentsViewProps) {
  if (loading) {
    return (
      <Stack gap="xs" aria-busy="true" aria-label="Loading segments">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} height={64} radius="md" />
        ))}
      </Stack>
    );
  }
  return (
    <Stack
      component="ul"
      gap="xs"
      aria-label="Segments"
      style={{ listStyle: 'none', padding: 0, margin: 0, opacity: dimmed ? 0.6 : 1 }}
    >
      {segments.map((segment) => (
        <Paper component="li" key={segment.id} withBorder radius="md" p="sm" data-testid="segment-row">
          <Anchor component={Link} to={segmentHref(segment)} fw={600} size="sm">
            {segment.name}
          </Anchor>
          {segment.description !== null && segment.description !== '' && (
            <Text size="xs" c="dimmed" lineClamp={2}>
              {segment.description}
            </Text>
          )}
          <Text size="xs" mt={4}>
            {segment.last_error !== null && segment.member_count === null ? (
              // Never counted: the failure says it all.
              <>
                <Members segment={segment} />
                <Counted segment={segment} />
              </>
            ) : (
              <>
                <Members segment={segment} /> members · counted <Counted segment={segment} />
              </>
            )}
          </Text>
        </Paper>
      ))}
    </Stack>
  );
}
