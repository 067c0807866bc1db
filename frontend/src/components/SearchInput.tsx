import { CloseButton, TextInput } from '@mantine/core';
import type { TextInputProps } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';

import { IconSearch } from './icons';

export type SearchInputProps = Omit<TextInputProps, 'value' | 'onChange' | 'defaultValue'> & {
  /** The committed value (from the URL). */
  value: string;
  /** Called with the trimmed text once typing pauses (and at once when cleared). */
  onSearch: (value: string) => void;
  delay?: number;
};

/** A labelled search box that reports its text once typing pauses. */
export function SearchInput({ value, onSearch, delay = 300, label, ...rest }: SearchInputProps) {
  const [text, setText] = useState(value);
  // The value last seen from the parent, and the last value this box sent (or took over).
  const [seen, setSeen] = useState(value);
  const [sent, setSent] = useState(value);
  const commit = useDebouncedCallback((next: string) => {
    setSent(next.trim());
    onSearch(next.trim());
  }, delay);

  // The value changed from outside (back button, "clear filters"), not as the echo of what we
  // sent: show what it says.
  if (value !== seen) {
    setSeen(value);
    if (value !== sent) {
      setSent(value);
      setText(value);
    }
  }

  return (
    <TextInput
      type="search"
      label={label}
      leftSection={<IconSearch size={16} />}
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        commit(event.currentTarget.value);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') commit.flush();
      }}
      rightSection={
        text !== '' ? (
          <CloseButton
            size="sm"
            aria-label={`Clear ${typeof label === 'string' ? label.toLowerCase() : 'search'}`}
            onClick={() => {
              commit.cancel();
              setText('');
              setSent('');
              onSearch('');
            }}
          />
        ) : null
      }
      {...rest}
    />
  );
}
