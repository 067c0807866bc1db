import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';

import { formatInteger } from '@/lib/format';

export type LiveCountProps = {
  /** The last count received (for the rules on screen, or for earlier ones while `stale`). */
  count: number | undefined;
  stale: boolean;
  counting: boolean;
  /** How many rules are not finished (nothing is counted until they are). */
  unfinished: number;
  /** The server refused the rules (its messages are at the rules). */
  invalid: boolean;
  /** The count could not be computed. */
  error: Error | null;
  onRetry: () => void;
  /** How long the server took, shown small beside the count. */
  tookMs?: number;
};

/**
 * "1,234 customers match", live: dimmed with a small spinner while a newer count is on its way, a
 * hint while rules are unfinished, the server's error with Retry when counting failed (never a
 * spinner that does not end).
 */
export function LiveCount({ count, stale, counting, unfinished, invalid, error, onRetry, tookMs }: LiveCountProps) {
  if (error !== null) {
    return (
      <Alert color="red" variant="light" title="Could not count these rules" role="alert" data-testid="live-count-error" py="xs">
        <Group gap="sm" justify="space-between">
          <Text size="sm">{error.message}</Text>
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Retry
          </Button>
        </Group>
      </Alert>
    );
  }
  let note: string | null = null;
  if (invalid) note = 'Fix the rule marked in red to count.';
  else if (unfinished > 0) note = unfinished === 1 ? 'Finish the highlighted condition to count.' : 'Finish the highlighted conditions to count.';
  return (
    <Stack gap={0} align="flex-end" aria-live="polite" data-testid="live-count">
      <Group gap={6} wrap="nowrap">
        {counting && <Loader size={14} aria-label="Counting" />}
        <Text
          fw={700}
          size="xl"
          // An older count reads grey (not faded: it must stay legible).
          c={stale ? 'gray.7' : undefined}
          data-testid="live-count-value"
          data-stale={stale}
        >
          {count === undefined ? '—' : formatInteger(count)}
        </Text>
        <Text size="sm" c="dimmed">
          {count === 1 ? 'customer matches' : 'customers match'}
        </Text>
      </Group>
      {note !== null ? (
        <Text size="xs" c={invalid ? 'red.9' : 'gray.8'} fw={500}>
          {note}
        </Text>
      ) : (
        tookMs !== undefined &&
        !stale && (
          <Text size="xs" c="dimmed">
            counted in {formatInteger(tookMs)} ms
          </Text>
        )
      )}
    </Stack>
  );
}
