import { formatInteger, formatTotal } from '@/lib/format';

/** "Showing 26–50 of 2,000"; "of 10,000+" when the total is a lower bound, "of ~2,600" an estimate. */
export function rangeText({
  page,
  pageSize,
  itemCount,
  total,
  totalExact = true,
}: {
  page: number;
  pageSize: number;
  itemCount: number;
  total: number;
  totalExact?: boolean;
}): string {
  if (itemCount === 0) return `Showing 0 of ${formatTotal(total, totalExact)}`;
  const start = (Math.max(page, 1) - 1) * pageSize + 1;
  const end = start + itemCount - 1;
  return `Showing ${formatInteger(start)}–${formatInteger(end)} of ${formatTotal(total, totalExact)}`;
}

