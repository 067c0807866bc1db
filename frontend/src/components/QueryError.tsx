import { Alert, Button, Group, Text } from '@mantine/core';

/** A failed load: the server's message and a retry button. */
export function QueryError({
  title = 'Could not load the data',
  error,
  onRetry,
  retrying = false,
  retryLabel = 'Retry',
}: {
  title?: string;
  error: Error;
  onRetry: () => void;
  retrying?: boolean;
  retryLabel?: string;
}) {
  return (
    <Alert color="red" variant="light" title={title} role="alert">
      <Group justify="space-between" gap="sm">
        <Text size="sm">{error.message}</Text>
        <Button size="xs" variant="light" color="red" onClick={onRetry} loading={retrying}>
          {retryLabel}
        </Button>
      </Group>
    </Alert>
  );
}
