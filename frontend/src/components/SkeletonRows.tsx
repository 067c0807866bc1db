import { Skeleton, Table } from '@mantine/core';
import type { MantineBreakpoint } from '@mantine/core';

/**
 * Placeholder table rows while a list's first page loads. `columns` is a count, or per column the
 * breakpoint from which it shows (undefined: always), matching the header's `visibleFrom`.
 */
export function SkeletonRows({
  columns,
  rows = 8,
}: {
  columns: number | readonly (MantineBreakpoint | undefined)[];
  rows?: number;
}) {
  const cells = typeof columns === 'number' ? Array.from({ length: columns }, () => undefined) : columns;
  return Array.from({ length: rows }, (_, row) => (
    <Table.Tr key={row} data-testid="skeleton-row">
      {cells.map((visibleFrom, col) => (
        <Table.Td key={col} visibleFrom={visibleFrom}>
          <Skeleton height={14} radius="sm" />
        </Table.Td>
      ))}
    </Table.Tr>
  ));
}
