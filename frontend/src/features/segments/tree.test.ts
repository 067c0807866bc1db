import { describe, expect, it } from 'vitest';

import { ALL_FIELDS } from './testFields';
import { countRules, fromApiTree, pathFromLoc, toApiTree, treeErrors, unfinishedRules } from './tree';
import type { ApiGroup } from './tree';

const TREE: ApiGroup = {
  combinator: 'and',
  not: false,
  rules: [
    { field: 'total_spend', operator: '>=', value: 500 },
    {
      combinator: 'or',
      not: true,
      rules: [
        { field: 'country', operator: 'in', value: ['DE', 'FR'] },
        { field: 'orders_in_last_days', operator: '>=', value: { days: 30, value: 3 } },
      ],
    },
  ],
};

describe('the API tree and the builder query', () => {
  it('round-trips: ids added for the builder, dropped for the API', () => {
    const query = fromApiTree(TREE);
    expect(query.id).toEqual(expect.any(String));
    expect(query.rules[0]).toHaveProperty('id');
    expect(toApiTree(query)).toEqual(TREE);
    expect(countRules(TREE)).toBe(3);
  });
});

describe('pathFromLoc', () => {
  it('follows rules/index pairs to the rule a 422 names', () => {
    expect(pathFromLoc(['body', 'rules', 'rules', 1, 'value'])).toEqual({ path: [1], part: 'value' });
    expect(pathFromLoc(['body', 'rules', 'rules', 1, 'rules', 0, 'value', 'days'])).toEqual({
      path: [1, 0],
      part: 'value',
    });
    expect(pathFromLoc(['body', 'rules', 'combinator'])).toEqual({ path: [], part: 'combinator' });
    expect(pathFromLoc(['body', 'name'])).toBeNull();
    expect(pathFromLoc('nope')).toBeNull();
  });
});

describe('treeErrors', () => {
  it('puts each message at its rule, the rest above the builder', () => {
    const errors = treeErrors(
      [
        { loc: ['body', 'rules', 'rules', 1, 'rules', 0, 'value'], message: 'unknown country "XX"' },
        { loc: ['body', 'name'], message: 'too long' },
      ],
      'Invalid rules',
    );
    expect(errors.byPath).toEqual({ '1.0': ['Unknown country "XX"'] });
    expect(errors.general).toEqual(['Too long']);
  });

  it('falls back to the error message when no detail names a place', () => {
    expect(treeErrors(null, 'Invalid rules')).toEqual({ byPath: {}, general: ['Invalid rules'] });
  });
});

describe('unfinishedRules', () => {
  it('names the unfinished rules by path, at any depth', () => {
    const fields = new Map(ALL_FIELDS.map((f) => [f.name, f]));
    const query = fromApiTree({
      combinator: 'and',
      rules: [
        { field: 'total_spend', operator: '>=', value: '' },
        { combinator: 'or', rules: [{ field: 'country', operator: 'in', value: [] }, { field: 'city', operator: 'null' }] },
      ],
    });
    expect(unfinishedRules(query, fields)).toEqual({ '0': 'Enter a value', '1.0': 'Choose at least one value' });
  });
});
