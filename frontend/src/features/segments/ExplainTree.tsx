import { Badge, Group, Stack, Text } from '@mantine/core';

import type { ExplainNode } from './apiTypes';
import { describeActual, describeRule } from './describe';
import type { FieldSpec } from './fields';

function Mark({ passed }: { passed: boolean }) {
  return (
    <Badge
      size="sm"
      variant="light"
      color={passed ? 'teal' : 'red'}
      style={{ flexShrink: 0 }}
      aria-label={passed ? 'passes' : 'fails'}
    >
      {passed ? 'Yes' : 'No'}
    </Badge>
  );
}

function Node({ node, fields, depth }: { node: ExplainNode; fields: ReadonlyMap<string, FieldSpec>; depth: number }) {
  if (node.kind === 'group') {
    const words = node.combinator === 'or' ? 'Any of' : 'All of';
    return (
      <Stack gap={4} data-testid="explain-group" pl={depth === 0 ? 0 : 'sm'} style={depth === 0 ? undefined : { borderLeft: '2px solid var(--mantine-color-gray-3)' }}>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Mark passed={node.passed} />
          <Text size="sm" fw={600}>
            {node.not === true ? `Not (${words.toLowerCase()})` : words}
          </Text>
        </Group>
        <Stack gap={4} pl="sm">
          {(node.rules ?? []).map((child, i) => (
            <Node key={i} node={child} fields={fields} depth={depth + 1} />
          ))}
        </Stack>
      </Stack>
    );
  }
  const field = fields.get(node.field ?? '');
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="explain-rule" data-passed={node.passed}>
      <Mark passed={node.passed} />
      <div style={{ minWidth: 0 }}>
        <Text size="sm">{describeRule(field, node.field ?? '?', node.operator ?? '', node.value)}</Text>
        <Text size="xs" c="dimmed">
          Their value: {describeActual(field, node.actual)}
          {node.because !== '' ? ` · ${node.because}` : ''}
        </Text>
      </div>
    </Group>
  );
}

/**
 * Why a customer is (or is not) in a segment: the rule tree with, at every rule and group, whether it
 * passed and the customer's own value.
 */
export function ExplainTree({
  tree,
  matches,
  fields,
}: {
  tree: ExplainNode;
  matches: boolean;
  fields: ReadonlyMap<string, FieldSpec>;
}) {
  return (
    <Stack gap="xs" data-testid="explanation">
      <Text size="sm" fw={600} c={matches ? 'teal.9' : 'red.9'}>
        {matches ? 'Matches the rules now' : 'Does not match the rules now'}
      </Text>
      <Node node={tree} fields={fields} depth={0} />
    </Stack>
  );
}
