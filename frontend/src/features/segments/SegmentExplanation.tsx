import { Button, Collapse, Skeleton, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useId, useMemo } from 'react';

import { useSegmentExplanation, useSegmentFields } from '@/api/queries/segments';
import { QueryError } from '@/components/QueryError';

import { fieldSpecs } from './catalog';
import { ExplainTree } from './ExplainTree';

/** Why a customer is (or is not) in a segment, fetched when shown. */
export function SegmentExplanation({ segmentId, customerId }: { segmentId: number; customerId: number }) {
  const query = useSegmentExplanation(segmentId, customerId);
  const catalog = useSegmentFields();
  const fields = useMemo(
    () => new Map(fieldSpecs(catalog.data?.fields ?? []).map((f) => [f.name, f])),
    [catalog.data],
  );
  if (query.data !== undefined) {
    return <ExplainTree tree={query.data.tree} matches={query.data.matches} fields={fields} />;
  }
  if (query.isError) {
    return (
      <QueryError
        title="Could not explain"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  return (
    <Stack gap={4} aria-busy="true" aria-label="Loading the explanation">
      <Skeleton height={14} width="50%" />
      <Skeleton height={14} width="80%" />
      <Skeleton height={14} width="70%" />
    </Stack>
  );
}

/** A "Why?" button that opens the explanation under it (fetched on first opening). */
export function WhyToggle({
  segmentId,
  customerId,
  ariaLabel,
}: {
  segmentId: number;
  customerId: number;
  /** Says whose explanation, e.g. "Why is Ada Lovelace in this segment?" */
  ariaLabel: string;
}) {
  const [opened, { toggle }] = useDisclosure(false);
  const id = useId();
  return (
    <>
      <Button
        size="compact-xs"
        variant="subtle"
        onClick={toggle}
        aria-expanded={opened}
        aria-controls={id}
        aria-label={ariaLabel}
      >
        {opened ? 'Hide why' : 'Why?'}
      </Button>
      <Collapse expanded={opened} id={id} style={{ flexBasis: '100%' }}>
        {opened && (
          <Stack pt={6} pb={4}>
            <SegmentExplanation segmentId={segmentId} customerId={customerId} />
          </Stack>
        )}
      </Collapse>
    </>
  );
}
