import { Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';

import { IconX } from './icons';

export type FilterChip = {
  key: string;
  /** What the filter keeps, e.g. "Status: Active, Inactive". */
  label: string;
  onRemove: () => void;
};

/**
 * The filters in force, each a chip that removes itself when pressed (a real button, named
 * "Remove filter …": Mantine's Pill hides its remove button from keyboards and screen readers),
 * plus whatever follows (a "Clear filters" button).
 */
export function FilterChips({ chips, children }: { chips: readonly FilterChip[]; children?: ReactNode }) {
  return (
    <Group gap="xs" aria-label="Active filters" role="group">
      {chips.map((chip) => (
        <Button
          key={chip.key}
          variant="default"
          radius="xl"
          size="compact-sm"
          fw={500}
          rightSection={<IconX size={14} />}
          onClick={chip.onRemove}
          aria-label={`Remove filter ${chip.label}`}
          data-testid={`filter-chip-${chip.key}`}
        >
          {chip.label}
        </Button>
      ))}
      {children}
    </Group>
  );
}
