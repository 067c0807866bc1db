import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import type { RuleGroupType } from 'react-querybuilder';
import { describe, expect, it, vi } from 'vitest';

import { theme } from '@/theme';

import { RuleBuilder } from './RuleBuilder';
import type { BuilderFeedback } from './RuleBuilder';
import { ALL_FIELDS } from './testFields';
import { fromApiTree, toApiTree } from './tree';
import type { ApiGroup } from './tree';

const NO_FEEDBACK: BuilderFeedback = {
  ruleCounts: null,
  countsStale: false,
  combinator: 'and',
  errors: {},
  unfinished: {},
  showUnfinished: false,
};

function Harness({ initial, feedback, onTree }: { initial: ApiGroup; feedback: BuilderFeedback; onTree: (t: ApiGroup) => void }) {
  const [query, setQuery] = useState<RuleGroupType>(() => fromApiTree(initial));
  return (
    <RuleBuilder
      fields={ALL_FIELDS}
      query={query}
      onQueryChange={(q) => {
        setQuery(q);
        onTree(toApiTree(q));
      }}
      feedback={feedback}
    />
  );
}

function renderBuilder(initial: ApiGroup, feedback: BuilderFeedback = NO_FEEDBACK) {
  const onTree = vi.fn();
  render(
    <MantineProvider theme={theme} env="test">
      <Harness initial={initial} feedback={feedback} onTree={onTree} />
    </MantineProvider>,
  );
  return onTree;
}

const TWO_RULES: ApiGroup = {
  combinator: 'and',
  not: false,
  rules: [
    { field: 'total_spend', operator: '>=', value: 500 },
    { combinator: 'or', not: false, rules: [{ field: 'country', operator: 'in', value: ['DE'] }] },
  ],
};

// Mantine inputs typed into key by key: slow on a busy two-core machine.
describe('RuleBuilder', { timeout: 20_000 }, () => {
  it('adds a condition with the first field and a value of its type, and sends trees without ids', async () => {
    const onTree = renderBuilder({ combinator: 'and', not: false, rules: [] });
    await userEvent.click(screen.getByRole('button', { name: '+ Condition' }));
    const tree = onTree.mock.lastCall?.[0] as ApiGroup;
    expect(tree.rules).toHaveLength(1);
    expect(tree.rules[0]).toEqual({ field: 'country', operator: '=', value: '' });
    expect(JSON.stringify(tree)).not.toContain('"id"');
    expect(screen.getAllByTestId('segment-rule')).toHaveLength(1);
  });

  it('shows the loaded tree: nested groups, values in their editors', () => {
    renderBuilder(TWO_RULES);
    expect(screen.getByRole('textbox', { name: 'Lifetime spend value' })).toHaveValue('$500');
    expect(screen.getAllByTestId('segment-group')).toHaveLength(1);
    expect(screen.getAllByText('DE').length).toBeGreaterThan(0);
  });

  it('puts a server message under the rule its loc names, and counts under top-level conditions', () => {
    renderBuilder(TWO_RULES, {
      ...NO_FEEDBACK,
      errors: { '1.0': ['Unknown country "XX"'] },
      ruleCounts: [
        { alone: 412, running: 412 },
        { alone: 900, running: 120 },
      ],
    });
    const nested = screen.getAllByTestId('segment-rule').find((el) => el.dataset.path === '1.0');
    if (nested === undefined) throw new Error('no rule at 1.0');
    expect(within(nested).getByRole('alert')).toHaveTextContent('Unknown country "XX"');
    const counts = screen.getAllByTestId('rule-count').map((el) => el.textContent);
    expect(counts).toEqual(['412 on its own', '900 on its own · 120 with all above']);
  });

  it('hints at unfinished rules only when asked to', () => {
    const unfinished = { '0': 'Enter a value' };
    const tree: ApiGroup = { combinator: 'and', rules: [{ field: 'total_spend', operator: '>=', value: '' }] };
    renderBuilder(tree, { ...NO_FEEDBACK, unfinished });
    expect(screen.queryByTestId('rule-unfinished')).not.toBeInTheDocument();
  });
});
