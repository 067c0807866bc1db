import { SimpleGrid, TextInput } from '@mantine/core';
import { useState } from 'react';

import { dateRangeError } from './listState';

type Range = { from: string | undefined; to: string | undefined };

/**
 * "Placed from / to" date inputs; a range is applied only once it is valid (from ≤ to). Side by
 * side, each half of the row on a phone, so neither pokes out of the card.
 */
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
    <SimpleGrid cols={2} spacing="sm" w={{ base: '100%', sm: 340 }}>
      <TextInput
        type="date"
        label="Placed from"
        value={draft.from ?? ''}
        onChange={(e) => change({ ...draft, from: e.currentTarget.value || undefined })}
        miw={0}
      />
      <TextInput
        type="date"
        label="Placed to"
        value={draft.to ?? ''}
        onChange={(e) => change({ ...draft, to: e.currentTarget.value || undefined })}
        error={error}
        miw={0}
      />
    </SimpleGrid>
  );
}
