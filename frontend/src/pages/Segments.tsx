import { Alert, Anchor, Button, Card, Group, Modal, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMemo, useRef } from 'react';
import { Link, useNavigate } from 'react-router';

import type { CustomerOut, SegmentOut } from '@/api/client';
import { isApiError } from '@/api/errors';
import {
  segmentMembersCsvUrl,
  useDeleteSegment,
  useSegment,
  useSegmentFields,
  useSegmentMembers,
  useSegmentsList,
} from '@/api/queries/segments';
import { canWrite, useCurrentUser } from '@/components/currentUser';
import { IconPlus } from '@/components/icons';
import { ListPage } from '@/components/ListPage';
import { ListPagination } from '@/components/Pagination';
import { ListQueryError, QueryError } from '@/components/QueryError';
import { TABLE_BREAKPOINT, useBelow } from '@/components/useBreakpoint';
import { CustomerList } from '@/features/customers/CustomerList';
import { CustomersTable } from '@/features/customers/CustomersTable';
import { fieldSpecs } from '@/features/segments/catalog';
import { segmentsPageCodec } from '@/features/segments/listState';
import type { SegmentsPageState } from '@/features/segments/listState';
import { SegmentChangesView } from '@/features/segments/SegmentChangesView';
import { SegmentEditor } from '@/features/segments/SegmentEditor';
import { SegmentCards, SegmentsTable } from '@/features/segments/SegmentsTable';
import { formatDateTime, formatInteger } from '@/lib/format';
import { usePanelNavigation } from '@/lib/usePanelNavigation';
import { useUrlListState } from '@/lib/useUrlListState';
import type { UpdateList } from '@/lib/useUrlListState';

import { DetailPanels } from './DetailPanels';

/** `/segments`: the list; `?segment=new`: a new segment; `?segment=12`: a segment, its members and changes. */
export default function SegmentsPage() {
  const [state, update] = useUrlListState(segmentsPageCodec);
  return (
    <>
      {state.segment === undefined ? (
        <SegmentsList onOpen={(segment) => update({ segment })} />
      ) : (
        <SegmentView key={String(state.segment)} state={state} update={update} />
      )}
      <DetailPanels />
    </>
  );
}

function SegmentsList({ onOpen }: { onOpen: (segment: number | 'new') => void }) {
  const user = useCurrentUser();
  const writer = canWrite(user.role);
  const list = useSegmentsList();
  const href = (segment: SegmentOut) => `?segment=${String(segment.id)}`;
  return (
    <ListPage
      title="Segments"
      description="Live groups of customers, defined by rules and kept up to date."
      actions={
        writer && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => onOpen('new')}>
            New segment
          </Button>
        )
      }
      query={list}
      errorTitle="Could not load segments"
      empty={{
        title: 'No segments yet',
        message: writer
          ? 'A segment is a live group of customers, e.g. “spent over $500 and ordered in the last 90 days”.'
          : 'Nobody has made a segment yet.',
        action: writer ? { label: 'New segment', onClick: () => onOpen('new') } : undefined,
      }}
      table={(view) => <SegmentsTable {...view} segmentHref={href} />}
      cards={(view) => <SegmentCards {...view} segmentHref={href} />}
    />
  );
}

function SegmentView({ state, update }: { state: SegmentsPageState; update: UpdateList<SegmentsPageState> }) {
  const user = useCurrentUser();
  const writer = canWrite(user.role);
  const navigate = useNavigate();
  const id = typeof state.segment === 'number' ? state.segment : null;
  const catalog = useSegmentFields();
  const segment = useSegment(id);
  const fields = useMemo(() => fieldSpecs(catalog.data?.fields ?? []), [catalog.data]);
  const { customerHref } = usePanelNavigation();
  const below = useBelow(TABLE_BREAKPOINT);

  const title = id === null ? 'New segment' : (segment.data?.name ?? 'Segment');

  let body;
  if (catalog.isError) {
    body = (
      <QueryError
        title="Could not load the rule fields"
        error={catalog.error}
        onRetry={() => void catalog.refetch()}
        retrying={catalog.isFetching}
      />
    );
  } else if (id !== null && isApiError(segment.error) && segment.error.status === 404) {
    body = (
      <Alert color="gray" variant="light" title="This segment no longer exists" role="status">
        It may have been deleted, or the link is wrong.{' '}
        <Anchor component={Link} to="/segments">
          All segments
        </Anchor>
      </Alert>
    );
  } else if (id !== null && segment.isError && segment.data === undefined) {
    // Only when there is nothing to show: a failed background refetch keeps the page (and unsaved edits).
    body = (
      <QueryError
        title="Could not load the segment"
        error={segment.error}
        onRetry={() => void segment.refetch()}
        retrying={segment.isFetching}
      />
    );
  } else if (catalog.data === undefined || (id !== null && segment.data === undefined)) {
    body = (
      <Stack gap="md" aria-busy="true" aria-label="Loading the segment">
        <Skeleton height={90} radius="md" />
        <Skeleton height={220} radius="md" />
      </Stack>
    );
  } else {
    const saved = id === null ? null : (segment.data ?? null);
    body = (
      <Stack gap="md">
        <SegmentEditor
          segment={saved}
          fields={fields}
          maxDepth={catalog.data.max_depth}
          canWrite={writer}
          onSaved={(result, created) => {
            notifications.show({ color: 'green', message: `Saved “${result.name}”.` });
            if (created) update({ segment: result.id }, { replace: true });
          }}
          // Until a segment's members are counted (a new one; a saved one before its first refresh), the
          // first customers its rules match now stand in for them.
          sample={
            (saved?.counted_at ?? null) === null
              ? (items, stale) => <Sample items={items} stale={stale} customerHref={customerHref} compact={below} />
              : undefined
          }
          // The AI drawer (a later issue) puts its button here.
          assistant={undefined}
        />
        {saved !== null && <Members segment={saved} state={state} update={update} compact={below} />}
        {saved !== null && <SegmentChangesView segmentId={saved.id} countedAt={saved.counted_at} customerHref={customerHref} />}
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div style={{ minWidth: 0 }}>
          <Anchor component={Link} to="/segments" size="sm">
            ← All segments
          </Anchor>
          <Title order={1} style={{ overflowWrap: 'anywhere' }}>
            {title}
          </Title>
        </div>
        {id !== null && segment.data !== undefined && (
          <Group gap="sm">
            {writer && <DeleteSegment segment={segment.data} onDeleted={() => void navigate('/segments')} />}
          </Group>
        )}
      </Group>
      {body}
    </Stack>
  );
}

/** How many of the first matching customers a new segment shows. */
const SAMPLE_SIZE = 10;

function Sample({
  items,
  stale,
  customerHref,
  compact,
}: {
  items: CustomerOut[];
  stale: boolean;
  customerHref: (id: number) => string;
  compact: boolean;
}) {
  if (items.length === 0) return null;
  const href = (customer: CustomerOut) => customerHref(customer.id);
  const first = items.slice(0, SAMPLE_SIZE);
  return (
    // Visible overflow: a clipping card would misplace the table's sticky header.
    <Card withBorder radius="md" padding="md" style={{ overflow: 'visible' }}>
      <Title order={2} size="h4" mb="xs">
        First matching customers
      </Title>
      {compact ? (
        <CustomerList customers={first} loading={false} dimmed={stale} customerHref={href} />
      ) : (
        <CustomersTable
          customers={first}
          loading={false}
          dimmed={stale}
          sort="created_at"
          direction="desc"
          onSort={() => undefined}
          customerHref={href}
        />
      )}
    </Card>
  );
}

function Members({
  segment,
  state,
  update,
  compact,
}: {
  segment: SegmentOut;
  state: SegmentsPageState;
  update: UpdateList<SegmentsPageState>;
  compact: boolean;
}) {
  const query = useMemo(
    () => ({
      sort: state.sort,
      order: state.dir,
      limit: state.limit,
      ...(state.cursor === undefined ? {} : { cursor: state.cursor }),
    }),
    [state.sort, state.dir, state.limit, state.cursor],
  );
  const members = useSegmentMembers(segment.id, query, segment.counted_at);
  const { customerHref } = usePanelNavigation();
  const listTop = useRef<HTMLDivElement>(null);
  const href = (customer: CustomerOut) => customerHref(customer.id);
  const data = members.data;

  let body;
  if (members.isError) {
    body = (
      <ListQueryError
        title="Could not load the members"
        error={members.error}
        onCursor={state.cursor !== undefined}
        onFirstPage={() => update({ cursor: undefined, page: 1 })}
        onRetry={() => void members.refetch()}
        retrying={members.isFetching}
      />
    );
  } else if (data?.items.length === 0) {
    body = (
      <Text size="sm" c="dimmed" py="md" ta="center">
        {segment.member_count === null
          ? segment.last_error === null
            ? 'Not counted yet: members appear after the next refresh.'
            : 'No members: the segment could not be counted yet.'
          : 'No customer matches these rules right now.'}
      </Text>
    );
  } else if (compact) {
    body = (
      <CustomerList
        customers={data?.items ?? []}
        loading={data === undefined}
        dimmed={members.isPlaceholderData}
        customerHref={href}
      />
    );
  } else {
    body = (
      <CustomersTable
        customers={data?.items ?? []}
        loading={data === undefined}
        dimmed={members.isPlaceholderData}
        sort={state.sort}
        direction={state.dir}
        onSort={(sort, dir) => update({ sort, dir })}
        customerHref={href}
      />
    );
  }

  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      ref={listTop}
      component="section"
      aria-labelledby="segment-members-title"
      style={{ overflow: 'visible' }}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
          <div>
            <Title order={2} size="h4" id="segment-members-title">
              Members
            </Title>
            <Text size="xs" c="dimmed" data-testid="segment-counted">
              {segment.member_count === null || segment.counted_at === null
                ? segment.last_error === null
                  ? 'Not counted yet'
                  : 'Not counted'
                : `${formatInteger(segment.member_count)} at the last refresh, ${formatDateTime(segment.counted_at)}${
                    segment.count_ms === null ? '' : ` (${formatInteger(segment.count_ms)} ms)`
                  }`}
            </Text>
          </div>
          {data !== undefined && data.items.length > 0 && (
            <Button component="a" href={segmentMembersCsvUrl(segment.id)} download variant="default" size="xs">
              Export CSV
            </Button>
          )}
        </Group>
        {segment.last_error !== null && <RefreshError segment={segment} />}
        {body}
        {data !== undefined && data.items.length > 0 && (
          <ListPagination
            label="Members pages"
            page={data}
            paging={{ ...state, page: data.prev_cursor === null ? 1 : state.page }}
            onChange={update}
            disabled={members.isPlaceholderData}
            listTop={listTop}
          />
        )}
      </Stack>
    </Card>
  );
}

/** The last refresh failed: say why and when, instead of waiting for a count that is not coming. */
function RefreshError({ segment }: { segment: SegmentOut }) {
  return (
    <Alert color="red" variant="light" role="alert" title="The last refresh failed" data-testid="segment-refresh-error">
      <Stack gap={4}>
        <Text size="sm">{segment.last_error}</Text>
        <Text size="xs">
          {segment.failed_at === null ? '' : `At ${formatDateTime(segment.failed_at)}. `}
          {segment.counted_at === null
            ? 'The segment has no members until a refresh succeeds; it is tried again after a minute or so.'
            : `The members below are from the last successful refresh, ${formatDateTime(segment.counted_at)}; it is tried again after a minute or so.`}
        </Text>
      </Stack>
    </Alert>
  );
}

function DeleteSegment({ segment, onDeleted }: { segment: SegmentOut; onDeleted: () => void }) {
  const [opened, modal] = useDisclosure(false);
  const remove = useDeleteSegment();
  return (
    <>
      <Button variant="subtle" color="red" onClick={modal.open}>
        Delete
      </Button>
      <Modal opened={opened} onClose={modal.close} title={`Delete “${segment.name}”?`}>
        <Stack gap="md">
          <Text size="sm">The segment and its membership history go; the customers stay.</Text>
          {remove.error !== null && (
            <Alert color="red" variant="light" role="alert">
              {remove.error.message}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={modal.close}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() =>
                remove.mutate(segment.id, {
                  onSuccess: () => {
                    modal.close();
                    notifications.show({ color: 'green', message: `Deleted “${segment.name}”.` });
                    onDeleted();
                  },
                })
              }
            >
              Delete segment
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
