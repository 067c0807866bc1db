import { Group, TextInput } from '@mantine/core';
import { useState } from 'react';

import { dateRangeError } from './listState';

type Range = { from: string | undefined; to: string | undefined };

/** "Placed from / to" date inputs; a range is applied only once it is valid (from ≤ to). */
export function PlacedDateRange({ value, onChange }: { value: Range; onChange: (range: Range) => void }) {
  const [draft, setDraft] = useState<Range>(value);
  const [seen, setSeen] = useState<Range>(value);
  if (seen.from !== value.from || seen.to !== value.to) {
    // Changed from outside (back button, clear filters).
    setSeen(value);
    setDraft(value);
  }
  const error = dateRangeError(draft.from, draft.to);

  const change = (next: Range) => {
    setDraft(next);
    if (dateRangeError(next.from, next.to) === null) onChange(next);
  };

  return (
    <Group gap="sm" align="flex-start" wrap="nowrap">
      <TextInput
        type="date"
        label="Placed from"
        value={draft.from ?? ''}
        onChange={(e) => change({ ...draft, from: e.currentTarget.value || undefined })}
      />
      <TextInput
        type="date"
        label="Placed to"
        value={draft.to ?? ''}
        onChange={(e) => change({ ...draft, to: e.currentTarget.value || undefined })}
        error={error}
      />
    </Group>
  );
}
