import { Group, Pill } from '@mantine/core';
import type { ReactNode } from 'react';

export type FilterChip = {
  key: string;
  /** What the filter keeps, e.g. "Status: Active, Inactive". */
  label: string;
  onRemove: () => void;
};

/** The filters in force, each removable on its own, plus whatever follows (a "Clear filters" button). */
export function FilterChips({ chips, children }: { chips: readonly FilterChip[]; children?: ReactNode }) {
  return (
    <Group gap="xs" aria-label="Active filters" role="group">
      {chips.map((chip) => (
        <Pill
          key={chip.key}
          size="md"
          withRemoveButton
          onRemove={chip.onRemove}
          removeButtonProps={{ 'aria-label': `Remove filter ${chip.label}` }}
          data-testid={`filter-chip-${chip.key}`}
        >
          {chip.label}
        </Pill>
      ))}
      {children}
    </Group>
  );
}
