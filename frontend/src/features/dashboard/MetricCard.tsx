import { Group, Paper, Text } from '@mantine/core';

import { describeChange } from './change';

export function MetricCard({
  label,
  value,
  previous,
  changePct,
  testId,
}: {
  label: string;
  value: string;
  previous: string;
  changePct: number | null;
  testId: string;
}) {
  const change = describeChange(changePct);
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Text size="sm" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fz={{ base: 20, xs: 26 }} fw={700} lh={1.3} data-testid={`${testId}-value`}>
        {value}
      </Text>
      <Group gap={6} mt={2}>
        <Text
          size="sm"
          fw={600}
          c={change.color}
          aria-label={`${change.words}${changePct === null ? '' : ` ${change.text}`} against the previous period`}
        >
          {change.arrow ? <span aria-hidden="true">{change.arrow} </span> : null}
          {change.text}
        </Text>
        <Text size="xs" c="dimmed" truncate>
          vs {previous}
        </Text>
      </Group>
    </Paper>
  );
}
