import { Group, Table, UnstyledButton } from '@mantine/core';
import type { MantineBreakpoint } from '@mantine/core';
import type { ReactNode } from 'react';

import type { SortDirection } from '@/lib/listState';

import { IconSortAsc, IconSortDesc, IconSortNone } from './icons';

/**
 * A sortable column header: a real button, `aria-sort` on the header cell. Clicking the current
 * column flips the direction; another column starts with `firstDirection`.
 */
export function SortableTh<K extends string>({
  column,
  sort,
  direction,
  onSort,
  children,
  firstDirection = 'asc',
  align = 'left',
  w,
  visibleFrom,
}: {
  column: K;
  sort: K;
  direction: SortDirection;
  onSort: (column: K, direction: SortDirection) => void;
  children: ReactNode;
  firstDirection?: SortDirection;
  align?: 'left' | 'right';
  /** Column width (tables with a fixed layout). */
  w?: number | string;
  /** Hide the column below this breakpoint. */
  visibleFrom?: MantineBreakpoint;
}) {
  const active = column === sort;
  const nextDirection: SortDirection = active ? (direction === 'asc' ? 'desc' : 'asc') : firstDirection;
  const Icon = !active ? IconSortNone : direction === 'asc' ? IconSortAsc : IconSortDesc;
  return (
    <Table.Th
      aria-sort={active ? (direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      ta={align}
      w={w}
      visibleFrom={visibleFrom}
    >
      <UnstyledButton
        onClick={() => onSort(column, nextDirection)}
        fw={600}
        fz="sm"
        style={{ whiteSpace: 'nowrap' }}
        title={`Sort ${nextDirection === 'asc' ? 'ascending' : 'descending'}`}
      >
        <Group gap={4} wrap="nowrap" justify={align === 'right' ? 'flex-end' : 'flex-start'}>
          {children}
          <Icon size={14} style={{ opacity: active ? 1 : 0.4 }} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}
