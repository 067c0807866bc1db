import { Button, Group, Select, Text } from '@mantine/core';

import { PAGE_SIZES } from '@/lib/listState';

import { rangeText } from './rangeText';

export type PaginationProps = {
  /** 1-based page number, only used for the range text (the server pages by cursor). */
  page: number;
  pageSize: number;
  /** Rows on this page. */
  itemCount: number;
  total: number;
  totalExact?: boolean;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  onPageSizeChange: (size: number) => void;
  pageSizes?: readonly number[];
  /** Names the control for assistive technology, e.g. "Customers pages". */
  label?: string;
  disabled?: boolean;
};

/** Cursor pagination: previous / next, page size and "Showing x–y of n". */
export function Pagination({
  page,
  pageSize,
  itemCount,
  total,
  totalExact = true,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
  onPageSizeChange,
  pageSizes = PAGE_SIZES,
  label = 'Pagination',
  disabled = false,
}: PaginationProps) {
  return (
    <Group justify="space-between" gap="sm" component="nav" aria-label={label} wrap="wrap">
      <Text size="sm" c="dimmed" aria-live="polite" data-testid="range-text">
        {rangeText({ page, pageSize, itemCount, total, totalExact })}
      </Text>
      <Group gap="sm">
        <Select
          label="Rows per page"
          size="xs"
          w={150}
          styles={{ root: { display: 'flex', alignItems: 'center', gap: 8 }, label: { whiteSpace: 'nowrap' } }}
          data={pageSizes.map((n) => String(n))}
          value={String(pageSize)}
          onChange={(value) => {
            if (value !== null) onPageSizeChange(Number(value));
          }}
          allowDeselect={false}
          disabled={disabled}
        />
        <Button variant="default" size="xs" onClick={onPrevious} disabled={disabled || !hasPrevious}>
          Previous
        </Button>
        <Button variant="default" size="xs" onClick={onNext} disabled={disabled || !hasNext}>
          Next
        </Button>
      </Group>
    </Group>
  );
}
