import { Button, Group, SegmentedControl, TextInput } from '@mantine/core';
import { useState } from 'react';

import type { DashboardQuery } from '@/api/queries/dashboard';

export type Period = NonNullable<DashboardQuery['period']>;

const CHOICES: { value: Period; label: string }[] = [
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
  { value: 'custom', label: 'Custom' },
];

/** 7 / 30 / 90 days, or a custom range applied with its button (dates as YYYY-MM-DD, the API's form). */
export function PeriodPicker({
  query,
  onChange,
}: {
  query: DashboardQuery;
  onChange: (query: DashboardQuery) => void;
}) {
  const [custom, setCustom] = useState(query.period === 'custom');
  const [from, setFrom] = useState(query.from ?? '');
  const [to, setTo] = useState(query.to ?? '');
  const choice: Period = custom ? 'custom' : (query.period ?? '30d');
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <SegmentedControl
        aria-label="Period"
        data={CHOICES}
        value={choice}
        onChange={(value) => {
          if (value === 'custom') {
            setCustom(true);
            return;
          }
          setCustom(false);
          onChange({ period: value });
        }}
      />
      {custom ? (
        <Group
          gap="xs"
          align="flex-end"
          component="form"
          onSubmit={(event) => {
            event.preventDefault();
            onChange({ period: 'custom', from, to });
          }}
        >
          <TextInput type="date" label="From" size="xs" value={from} onChange={(e) => setFrom(e.currentTarget.value)} required />
          <TextInput type="date" label="To" size="xs" value={to} onChange={(e) => setTo(e.currentTarget.value)} required />
          <Button type="submit" size="xs">
            Apply
          </Button>
        </Group>
      ) : null}
    </Group>
  );
}
