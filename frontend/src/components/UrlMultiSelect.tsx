import { MultiSelect } from '@mantine/core';
import type { MultiSelectProps } from '@mantine/core';
import { useState } from 'react';

type Props = Omit<MultiSelectProps, 'value' | 'onChange'> & {
  value: string[];
  onChange: (value: string[]) => void;
};

/**
 * A MultiSelect whose value lives in the URL. The router renders a new URL as a transition, so a second
 * pick made before it lands would start from the stale list and drop the first; the picks are kept here
 * until the URL shows a different list.
 */
export function UrlMultiSelect({ value, onChange, ...props }: Props) {
  const [picked, setPicked] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value.join('\n') !== seen.join('\n')) {
    setSeen(value);
    setPicked(value);
  }
  return (
    <MultiSelect
      {...props}
      value={picked}
      onChange={(next) => {
        setPicked(next);
        onChange(next);
      }}
    />
  );
}
