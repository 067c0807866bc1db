import { Alert, Drawer, Text } from '@mantine/core';
import type { ReactNode } from 'react';

import { isApiError } from '@/api/errors';

import { QueryError } from './QueryError';
import { useBelow } from './useBreakpoint';

/**
 * The drawer every details panel uses: on the right, full-screen on a phone. Focus is handed back
 * by the page's panels (`useReturnFocusWhenClosed`: to the row the panel was opened from), not by
 * the drawer, because a chain of panels closes onto a page where the opening button may be gone.
 */
export function DetailDrawer({
  opened,
  onClose,
  title,
  closeLabel,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  closeLabel: string;
  children: ReactNode;
}) {
  const phone = useBelow('sm');
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size={phone ? '100%' : 'xl'}
      padding={phone ? 'sm' : 'md'}
      returnFocus={false}
      title={
        <Text component="span" fw={700} size="lg">
          {title}
        </Text>
      }
      closeButtonProps={{ 'aria-label': closeLabel }}
    >
      {children}
    </Drawer>
  );
}

/** The part of a details query a panel shows (a TanStack Query result fits). */
export type DetailQuery<T> = {
  data: T | undefined;
  error: Error | null;
  isError: boolean;
  isFetching: boolean;
  refetch: () => unknown;
};

/**
 * A details panel's content for the state of its query: the body once the data is there; for a 404,
 * that the thing no longer exists (a Retry could not help); for another failure, the error with
 * Retry; the panel's own skeleton while it loads.
 */
export function DetailContent<T>({
  query,
  noun,
  skeleton,
  children,
}: {
  query: DetailQuery<T>;
  /** What the panel shows, in words: "customer", "order". */
  noun: string;
  skeleton: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.data !== undefined) return children(query.data);
  if (isApiError(query.error) && query.error.status === 404) {
    return (
      <Alert color="gray" variant="light" title={`This ${noun} no longer exists`} role="status">
        It may have been deleted, or the link is wrong.
      </Alert>
    );
  }
  if (query.isError && query.error !== null) {
    return (
      <QueryError
        title={`Could not load the ${noun}`}
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  return skeleton;
}
