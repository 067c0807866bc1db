import 'react-querybuilder/dist/query-builder-layout.css';
import './ruleBuilder.css';

import { Text } from '@mantine/core';
import { MantineActionElement, QueryBuilderMantine } from '@react-querybuilder/mantine';
import { useMemo } from 'react';
import { QueryBuilder, Rule, RuleGroup } from 'react-querybuilder';
import type { ActionProps, RuleGroupProps, RuleGroupType, RuleProps, RuleType, ValueEditorProps } from 'react-querybuilder';

import { formatInteger } from '@/lib/format';

import { builderFields } from './builderFields';
import { defaultValue } from './fields';
import type { FieldSpec } from './fields';
import { RuleValueInput } from './RuleValueInput';
import { pathKey } from './tree';

/** Counts under a top-level condition: matching it alone, and after it under the top-level combinator. */
export type RuleCount = { alone: number; running: number };

/** What every rule and group of the builder reads (react-querybuilder's `context`). */
export type BuilderFeedback = {
  /** Per top-level item, in order; null while there are none to show. */
  ruleCounts: readonly RuleCount[] | null;
  /** The counts shown are for an earlier version of the rules (a newer count is on its way). */
  countsStale: boolean;
  /** The top-level combinator the running counts follow. */
  combinator: string;
  /** Path key → messages from the server (a 422's `loc`). */
  errors: Readonly<Record<string, readonly string[]>>;
  /** Path key → why the rule is not finished. */
  unfinished: Readonly<Record<string, string>>;
  /** Whether to show "unfinished" hints (after the user has had a chance to fill the rule in). */
  showUnfinished: boolean;
};


function specOf(fieldData: unknown): FieldSpec | undefined {
  return typeof fieldData === 'object' && fieldData !== null && 'spec' in fieldData
    ? (fieldData as { spec: FieldSpec }).spec
    : undefined;
}

function feedbackOf(context: unknown): BuilderFeedback | undefined {
  return typeof context === 'object' && context !== null && 'errors' in context ? (context as BuilderFeedback) : undefined;
}

function ValueEditor(props: ValueEditorProps) {
  const spec = specOf(props.fieldData);
  const feedback = feedbackOf(props.context);
  if (spec === undefined) return null;
  const key = pathKey(props.path);
  // Red for what the server refused; an unfinished rule only gets its hint (it is not wrong yet).
  const invalid = (feedback?.errors[key]?.length ?? 0) > 0;
  return (
    <div className="rule-value segment-rule-value">
      <RuleValueInput
        field={spec}
        operator={props.operator}
        value={props.value as unknown}
        onChange={(value) => props.handleOnChange(value)}
        invalid={invalid}
        disabled={props.disabled}
      />
    </div>
  );
}

/** "412 on its own · 120 with the ones above": the count under a top-level condition. */
export function RuleCountLine({ count, index, combinator, stale }: { count: RuleCount; index: number; combinator: string; stale: boolean }) {
  const alone = `${formatInteger(count.alone)} on ${count.alone === 1 ? 'its' : 'its'} own`;
  const running =
    index === 0 ? null : `${formatInteger(count.running)} ${combinator === 'or' ? 'with any above' : 'with all above'}`;
  return (
    <Text size="xs" c="dimmed" fs={stale ? 'italic' : undefined} data-testid="rule-count" data-stale={stale}>
      {[alone, running].filter(Boolean).join(' · ')}
    </Text>
  );
}

function Feedback({ path, context }: { path: readonly number[]; context: unknown }) {
  const feedback = feedbackOf(context);
  if (feedback === undefined) return null;
  const key = pathKey(path);
  const errors = feedback.errors[key] ?? [];
  const unfinished = feedback.showUnfinished ? feedback.unfinished[key] : undefined;
  const index = path[0];
  const count = path.length === 1 && index !== undefined ? feedback.ruleCounts?.[index] : undefined;
  if (errors.length === 0 && unfinished === undefined && count === undefined) return null;
  return (
    <div className="segment-rule-feedback">
      {errors.map((message) => (
        <Text key={message} size="xs" c="red.9" role="alert" data-testid="rule-error">
          {message}
        </Text>
      ))}
      {unfinished !== undefined && (
        <Text size="xs" c="gray.8" fw={500} data-testid="rule-unfinished">
          {unfinished}
        </Text>
      )}
      {count !== undefined && index !== undefined && (
        <RuleCountLine count={count} index={index} combinator={feedback.combinator} stale={feedback.countsStale} />
      )}
    </div>
  );
}

function RuleWithFeedback(props: RuleProps) {
  return (
    <div className="segment-rule" data-testid="segment-rule" data-path={pathKey(props.path)}>
      <Rule {...props} />
      <Feedback path={props.path} context={props.context as unknown} />
    </div>
  );
}

function GroupWithFeedback(props: RuleGroupProps) {
  if (props.path.length === 0) return <RuleGroup {...props} />;
  return (
    <div className="segment-group" data-testid="segment-group" data-path={pathKey(props.path)}>
      <RuleGroup {...props} />
      <Feedback path={props.path} context={props.context as unknown} />
    </div>
  );
}

/** Quiet buttons: "add" as light buttons, "remove" as a small red ✕ (the rules are what matters). */
function ActionElement(props: ActionProps) {
  const remove = props.testID === 'remove-rule' || props.testID === 'remove-group';
  return (
    <MantineActionElement
      {...props}
      {...{
        variant: remove ? 'subtle' : 'light',
        color: remove ? 'red' : undefined,
        size: remove ? 'compact-sm' : 'xs',
        'aria-label': remove ? props.title : undefined,
      }}
    />
  );
}

const CONTROL_ELEMENTS = {
  actionElement: ActionElement,
  valueEditor: ValueEditor,
  rule: RuleWithFeedback,
  ruleGroup: GroupWithFeedback,
};

const COMBINATORS = [
  { name: 'and', value: 'and', label: 'All of' },
  { name: 'or', value: 'or', label: 'Any of' },
];

const TRANSLATIONS = {
  addRule: { label: '+ Condition', title: 'Add a condition' },
  addGroup: { label: '+ Group', title: 'Add a group of conditions' },
  removeRule: { label: '✕', title: 'Remove this condition' },
  removeGroup: { label: '✕', title: 'Remove this group' },
  notToggle: { label: 'Not', title: 'Match customers who do not match this group' },
  fields: { title: 'Field' },
  operators: { title: 'Condition' },
  combinators: { title: 'Match' },
};

export type RuleBuilderProps = {
  fields: readonly FieldSpec[];
  query: RuleGroupType;
  onQueryChange: (query: RuleGroupType) => void;
  feedback: BuilderFeedback;
  disabled?: boolean;
  /** Deepest nesting allowed (the API's limit). */
  maxLevels?: number;
};

/**
 * The rule builder: react-querybuilder with its Mantine controls, fed by the field catalog (fields,
 * operators and allowed values), with the value editors of RuleValueInput, lists as arrays, nested
 * groups, and under each rule what the server said about it: its count (top-level conditions), a
 * message at the rule a 422 names, or what is missing.
 */
export function RuleBuilder({ fields, query, onQueryChange, feedback, disabled = false, maxLevels = 8 }: RuleBuilderProps) {
  const options = useMemo(() => builderFields(fields), [fields]);
  const byName = useMemo(() => new Map(fields.map((f) => [f.name, f])), [fields]);
  return (
    <div className="segment-builder">
      <QueryBuilderMantine>
        <QueryBuilder
          fields={options}
          query={query}
          onQueryChange={onQueryChange}
          combinators={COMBINATORS}
          controlElements={CONTROL_ELEMENTS}
          translations={TRANSLATIONS}
          context={feedback}
          listsAsArrays
          showNotToggle
          resetOnFieldChange
          resetOnOperatorChange
          addRuleToNewGroups
          maxLevels={maxLevels}
          disabled={disabled}
          getDefaultValue={(rule: RuleType) => {
            const spec = byName.get(rule.field);
            return spec === undefined ? '' : defaultValue(spec, rule.operator);
          }}
          controlClassnames={{ queryBuilder: 'queryBuilder-branches' }}
        />
      </QueryBuilderMantine>
    </div>
  );
}
