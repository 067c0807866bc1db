import { Button, Group, Select, Text } from '@mantine/core';
import type { RefObject } from 'react';

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
          styles={{
            root: { display: 'flex', alignItems: 'center', gap: 8 },
            label: { whiteSpace: 'nowrap' },
            // Room for "100" beside the dropdown chevron.
            wrapper: { width: 84 },
          }}
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
  /**
   * The top of the list: after Previous / Next, when it has scrolled out of view above, the page
   * scrolls back to it so the new rows are read from the first one.
   */
  listTop?: RefObject<HTMLElement | null>;
};

/** Brings `element` back into view when its top has scrolled away above the viewport. */
function scrollBackTo(element: HTMLElement | null | undefined): void {
  if (element?.getBoundingClientRect().top === undefined) return;
  if (element.getBoundingClientRect().top < 0) element.scrollIntoView({ block: 'start' });
}

/** `Pagination` wired to a list's cursor answer and its URL paging state, as every list page uses it. */
export function ListPagination({ label, page, paging, onChange, disabled = false, listTop }: ListPaginationProps) {
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
        if (prevCursor === null) return;
        onChange(previousPagePatch(paging, prevCursor));
        scrollBackTo(listTop?.current);
      }}
      onNext={() => {
        if (nextCursor === null) return;
        onChange(nextPagePatch(paging, nextCursor));
        scrollBackTo(listTop?.current);
      }}
      onPageSizeChange={(limit) => onChange({ limit })}
      disabled={disabled}
    />
  );
}
