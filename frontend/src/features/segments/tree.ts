/**
 * The rule tree in its two forms: the builder's (react-querybuilder's `RuleGroupType`, with ids) and
 * the API's (the same JSON without ids: `formatQuery(q, 'json_without_ids')`). Also where a 422's
 * `loc` points in the builder, and which rules are not finished yet.
 */
import { formatQuery, isRuleGroup, prepareRuleGroup } from 'react-querybuilder';
import type { RuleGroupType } from 'react-querybuilder';

import { ruleProblem } from './fields';
import type { FieldSpec } from './fields';

/** A rule as the API reads and writes it. */
export type ApiRule = { field: string; operator: string; value?: unknown };
/** A group as the API reads and writes it. */
export type ApiGroup = { combinator: 'and' | 'or'; not?: boolean; rules: (ApiRule | ApiGroup)[] };

export function isApiGroup(node: ApiRule | ApiGroup): node is ApiGroup {
  return 'rules' in node;
}

export const EMPTY_TREE: ApiGroup = { combinator: 'and', not: false, rules: [] };

/** Only the keys the rule format has (the builder adds `valueSource`; the API refuses extra keys). */
function bare(node: ApiRule | ApiGroup): ApiRule | ApiGroup {
  if (isApiGroup(node)) {
    return { combinator: node.combinator === 'or' ? 'or' : 'and', not: node.not ?? false, rules: node.rules.map(bare) };
  }
  const rule: ApiRule = { field: node.field, operator: node.operator };
  if (node.value !== undefined) rule.value = node.value;
  return rule;
}

/** The tree the API reads: the builder's query as `formatQuery(q, 'json_without_ids')`, rule keys only. */
export function toApiTree(query: RuleGroupType): ApiGroup {
  return bare(JSON.parse(formatQuery(query, 'json_without_ids')) as ApiGroup) as ApiGroup;
}

/** The builder's query for a tree from the API (every rule and group gets an id). */
export function fromApiTree(tree: ApiGroup): RuleGroupType {
  return prepareRuleGroup(structuredClone(tree) as RuleGroupType);
}

/** A path in the builder (`[1, 0]`: the first rule of the second top-level item) as a map key. */
export function pathKey(path: readonly number[]): string {
  return path.join('.');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The builder path a 422 detail's `loc` points at, and the part of the rule it names:
 * `["body", "rules", "rules", 1, "value"]` → path `[1]`, part `value`. Only the nesting of
 * `rules`/index pairs counts: `["body","rules","rules",2,"rules",0,"value","days"]` → `[2, 0]`.
 * Null when the loc is not inside the tree.
 */
export function pathFromLoc(loc: unknown): { path: number[]; part: string | null } | null {
  if (!Array.isArray(loc)) return null;
  const parts: unknown[] = loc[0] === 'body' ? loc.slice(1) : loc.slice();
  if (parts[0] !== 'rules') return null;
  const path: number[] = [];
  let at = 1;
  for (let index = parts[at + 1]; parts[at] === 'rules' && typeof index === 'number'; index = parts[at + 1]) {
    path.push(index);
    at += 2;
  }
  const next = parts[at];
  const part = typeof next === 'string' ? next : null;
  return { path, part };
}

export type TreeErrors = {
  /** Path key → messages for that rule or group. */
  byPath: Record<string, string[]>;
  /** Messages that point at no rule (shown above the builder). */
  general: string[];
};

function sentence(message: string): string {
  const trimmed = message.trim();
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}

/** Where the messages of a 422 (`details: [{loc, message}]`) go in the builder. */
export function treeErrors(details: unknown, fallback: string): TreeErrors {
  const errors: TreeErrors = { byPath: {}, general: [] };
  if (Array.isArray(details)) {
    for (const detail of details) {
      if (!isRecord(detail) || typeof detail.message !== 'string') continue;
      const at = pathFromLoc(detail.loc);
      if (at === null) {
        errors.general.push(sentence(detail.message));
        continue;
      }
      (errors.byPath[pathKey(at.path)] ??= []).push(sentence(detail.message));
    }
  }
  if (errors.general.length === 0 && Object.keys(errors.byPath).length === 0) errors.general.push(fallback);
  return errors;
}

/** The builder paths of unfinished rules, with why (nothing is counted until they are finished). */
export function unfinishedRules(query: RuleGroupType, fields: ReadonlyMap<string, FieldSpec>): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (group: RuleGroupType, path: number[]) => {
    group.rules.forEach((node, i) => {
      if (typeof node === 'string') return;
      const here = [...path, i];
      if (isRuleGroup(node)) {
        walk(node, here);
        return;
      }
      const problem = ruleProblem(fields.get(node.field), node.operator, node.value);
      if (problem !== null) out[pathKey(here)] = problem;
    });
  };
  walk(query, []);
  return out;
}

/** How many rules (not groups) a tree holds, at any depth. */
export function countRules(tree: ApiGroup): number {
  return tree.rules.reduce((n, node) => n + (isApiGroup(node) ? countRules(node) : 1), 0);
}
