import { Select } from '@mantine/core';

import { humanize } from '@/lib/format';
import type { SortDirection } from '@/lib/listState';

export type SortOption<K extends string> = { sort: K; dir: SortDirection; label: string };

/**
 * Sorting for the compact (phone) lists, which have no column headers: one select of the useful
 * column-and-direction pairs, writing the same `sort` and `dir` as the table headers.
 */
export function SortSelect<K extends string>({
  options,
  sort,
  dir,
  onChange,
}: {
  options: readonly SortOption<K>[];
  sort: K;
  dir: SortDirection;
  onChange: (sort: K, dir: SortDirection) => void;
}) {
  const value = `${sort}:${dir}`;
  const data = options.map((o) => ({ value: `${o.sort}:${o.dir}`, label: o.label }));
  // The current order may be one the select does not offer (set from a table header or a link).
  if (!data.some((d) => d.value === value)) data.unshift({ value, label: `${humanize(sort)}, ${dir === 'asc' ? 'ascending' : 'descending'}` });
  return (
    <Select
      label="Sort by"
      data={data}
      value={value}
      allowDeselect={false}
      onChange={(next) => {
        const option = options.find((o) => `${o.sort}:${o.dir}` === next);
        if (option) onChange(option.sort, option.dir);
      }}
      w={{ base: '100%', xs: 220 }}
    />
  );
}
