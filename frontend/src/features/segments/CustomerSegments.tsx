import { Anchor, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

import { useCustomerSegments } from '@/api/queries/segments';
import { QueryError } from '@/components/QueryError';
import { formatDate } from '@/lib/format';

import { segmentHref } from './listState';
import { WhyToggle } from './SegmentExplanation';

/**
 * The segments a customer is in, for the customer details panel: each links to its segment, with
 * "Why?" opening the explanation (the rules, pass or fail, with the customer's own values).
 */
export function CustomerSegments({ customerId }: { customerId: number }) {
  const query = useCustomerSegments(customerId);
  let body;
  if (query.data !== undefined) {
    body =
      query.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Not in any segment.
        </Text>
      ) : (
        <Stack component="ul" gap={6} style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Segments">
          {query.data.items.map((segment) => (
            <Group component="li" key={segment.id} gap="xs" wrap="wrap" data-testid="customer-segment">
              <Anchor component={Link} to={segmentHref(segment.id)} size="sm" fw={500}>
                {segment.name}
              </Anchor>
              <Text size="xs" c="dimmed">
                since {formatDate(segment.joined_at)}
              </Text>
              <WhyToggle
                segmentId={segment.id}
                customerId={customerId}
                ariaLabel={`Why is this customer in ${segment.name}?`}
              />
            </Group>
          ))}
        </Stack>
      );
  } else if (query.isError) {
    body = (
      <QueryError
        title="Could not load the segments"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  } else {
    body = <Skeleton height={20} width="60%" />;
  }
  return (
    <section aria-labelledby="customer-segments-title">
      <Title order={3} size="h4" id="customer-segments-title" mb="xs">
        Segments
      </Title>
      {body}
    </section>
  );
}
