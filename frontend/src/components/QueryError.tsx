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

/**
 * A list page that failed to load. On a deep page the cursor may be what is wrong (stale or edited),
 * so the way out is back to the first page; on the first page it is a plain retry.
 */
export function ListQueryError({
  title,
  error,
  onCursor,
  onFirstPage,
  onRetry,
  retrying,
}: {
  title: string;
  error: Error;
  /** Whether the failed request carried a cursor. */
  onCursor: boolean;
  onFirstPage: () => void;
  onRetry: () => void;
  retrying: boolean;
}) {
  return (
    <QueryError
      title={title}
      error={error}
      onRetry={onCursor ? onFirstPage : onRetry}
      retrying={retrying}
      retryLabel={onCursor ? 'Back to the first page' : 'Retry'}
    />
  );
}
