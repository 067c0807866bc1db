import { Button, Group, Select, Text } from '@mantine/core';

import { nextPagePatch, PAGE_SIZES, previousPagePatch } from '@/lib/listState';
import type { Paging } from '@/lib/listState';

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

/** The part of a keyset-paginated answer the pagination needs. */
export type CursorPage = {
  items: readonly unknown[];
  total: number;
  total_exact: boolean;
  prev_cursor: string | null;
  next_cursor: string | null;
};

export type ListPaginationProps = {
  label: string;
  /** The answer being shown. */
  page: CursorPage;
  /** The list's paging state from the URL. */
  paging: Paging;
  /** Applies a paging change to the URL state. */
  onChange: (patch: Partial<Paging>) => void;
  disabled?: boolean;
};

/** `Pagination` wired to a list's cursor answer and its URL paging state, as every list page uses it. */
export function ListPagination({ label, page, paging, onChange, disabled = false }: ListPaginationProps) {
  const { prev_cursor: prevCursor, next_cursor: nextCursor } = page;
  return (
    <Pagination
      label={label}
      page={paging.page}
      pageSize={paging.limit}
      itemCount={page.items.length}
      total={page.total}
      totalExact={page.total_exact}
      hasPrevious={prevCursor !== null}
      hasNext={nextCursor !== null}
      onPrevious={() => {
        if (prevCursor !== null) onChange(previousPagePatch(paging, prevCursor));
      }}
      onNext={() => {
        if (nextCursor !== null) onChange(nextPagePatch(paging, nextCursor));
      }}
      onPageSizeChange={(limit) => onChange({ limit })}
      disabled={disabled}
    />
  );
}
