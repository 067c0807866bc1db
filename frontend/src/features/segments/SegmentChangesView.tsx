import { Anchor, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';

import { useSegmentChanges } from '@/api/queries/segments';
import { QueryError } from '@/components/QueryError';
import { formatDateTime, formatInteger } from '@/lib/format';

import type { ChangeSet, MembershipChange } from './apiTypes';
import { WhyToggle } from './SegmentExplanation';

/** How many joiners (or leavers) show before "Show more". */
const FIRST_SHOWN = 8;

function ChangeList({
  title,
  changes,
  total,
  segmentId,
  customerHref,
  empty,
}: {
  title: string;
  changes: MembershipChange[];
  total: number;
  segmentId: number;
  customerHref: (customerId: number) => string;
  empty: string;
}) {
  const [all, setAll] = useState(false);
  const shown = all ? changes : changes.slice(0, FIRST_SHOWN);
  return (
    <Stack gap={6}>
      <Text size="sm" fw={600}>
        {title} ({formatInteger(total)})
      </Text>
      {changes.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <Stack component="ul" gap={6} style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={title}>
          {shown.map((change) => {
            const name = `${change.first_name} ${change.last_name}`;
            return (
              <Group component="li" key={`${String(change.customer_id)}-${change.at}`} gap="xs" wrap="wrap">
                <Anchor component={Link} to={customerHref(change.customer_id)} size="sm" fw={500}>
                  {name}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {formatDateTime(change.at)}
                </Text>
                <WhyToggle
                  segmentId={segmentId}
                  customerId={change.customer_id}
                  ariaLabel={`Why did ${name} ${change.kind === 'joined' ? 'join' : 'leave'}?`}
                />
              </Group>
            );
          })}
        </Stack>
      )}
      {shown.length < changes.length && (
        <Button size="compact-xs" variant="subtle" onClick={() => setAll(true)} style={{ alignSelf: 'flex-start' }}>
          Show {formatInteger(changes.length - shown.length)} more
        </Button>
      )}
      {all && total > changes.length && (
        <Text size="xs" c="dimmed">
          and {formatInteger(total - changes.length)} more not listed
        </Text>
      )}
    </Stack>
  );
}

function ChangeSetView({
  title,
  set,
  segmentId,
  customerHref,
}: {
  title: string;
  set: ChangeSet;
  segmentId: number;
  customerHref: (customerId: number) => string;
}) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Text size="sm" fw={700} mb={6}>
        {title}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <ChangeList
          title="Joined"
          changes={set.joined}
          total={set.joined_total}
          segmentId={segmentId}
          customerHref={customerHref}
          empty="Nobody joined."
        />
        <ChangeList
          title="Left"
          changes={set.left}
          total={set.left_total}
          segmentId={segmentId}
          customerHref={customerHref}
          empty="Nobody left."
        />
      </SimpleGrid>
    </Paper>
  );
}

/** Who joined and who left a segment: at its last refresh, and over the last day, each with why. */
export function SegmentChangesView({
  segmentId,
  countedAt,
  customerHref,
}: {
  segmentId: number;
  /** The segment's last refresh: the lists are read again when it moves. */
  countedAt: string | null;
  customerHref: (customerId: number) => string;
}) {
  const query = useSegmentChanges(segmentId, countedAt);
  let body;
  if (query.data !== undefined) {
    body = (
      <Stack gap="sm">
        <ChangeSetView
          title={
            query.data.counted_at === null
              ? 'Last refresh: not refreshed yet'
              : `Last refresh (${formatDateTime(query.data.counted_at)})`
          }
          set={query.data.last_refresh}
          segmentId={segmentId}
          customerHref={customerHref}
        />
        <ChangeSetView
          title={
            query.data.recent.since === null ? 'Recently' : `Since ${formatDateTime(query.data.recent.since)}`
          }
          set={query.data.recent}
          segmentId={segmentId}
          customerHref={customerHref}
        />
      </Stack>
    );
  } else if (query.isError) {
    body = (
      <QueryError
        title="Could not load who joined and left"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  } else {
    body = <Skeleton height={80} />;
  }
  return (
    <section aria-labelledby="segment-changes-title">
      <Title order={2} size="h4" id="segment-changes-title" mb="xs">
        Joined and left
      </Title>
      {body}
    </section>
  );
}
