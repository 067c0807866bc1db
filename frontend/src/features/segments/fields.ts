/**
 * What the rule builder needs to know about a field, and what a rule's value looks like for each
 * field and operator. The catalog (`GET /api/segments/fields`) is turned into `FieldSpec`s once
 * (catalog.ts); everything here is pure, so the value editors, the defaults and the "is this rule
 * complete?" check are unit-tested without a server.
 */

/** How a field's values are typed in. */
export type ValueKind = 'text' | 'integer' | 'number' | 'money' | 'date' | 'boolean' | 'choice';

export type Choice = { value: string; label: string };

export type WindowMode = 'never' | 'always' | 'optional';

export type FieldSpec = {
  name: string;
  label: string;
  kind: ValueKind;
  /**
   * Whether the value carries a window of days (`{days, value}`): always (orders in the last N
   * days), optionally (bought in a category: ever, or in the last N days), or never.
   */
  window: WindowMode;
  operators: readonly { name: string; label: string }[];
  /** The values a picker offers (categories, countries, statuses, tiers), or null for free input. */
  choices: readonly Choice[] | null;
  /** Shown beside the input ("days", "orders"); money shows the currency instead. */
  unit: string | null;
  help: string | null;
  /** Where the field sits in the field picker ("Profile", "Orders", "Behaviour"). */
  group: string;
};

/** The value a windowed field's rule carries. */
export type WindowedValue = { days: number | ''; value: unknown };

/** What the editor of one rule shows for its field and operator. */
export type EditorSpec =
  | { shape: 'none' }
  | { shape: 'single'; kind: ValueKind; choices: readonly Choice[] | null; unit: string | null }
  | { shape: 'pair'; kind: ValueKind; unit: string | null }
  | { shape: 'list'; kind: ValueKind; choices: readonly Choice[] | null }
  | { shape: 'days' };

export const NO_VALUE_OPERATORS: readonly string[] = ['null', 'notNull'];
export const LIST_OPERATORS: readonly string[] = ['in', 'notIn'];
export const PAIR_OPERATORS: readonly string[] = ['between', 'notBetween'];
export const DAYS_OPERATORS: readonly string[] = ['inLastDays', 'notInLastDays'];

/** The window a new windowed rule starts with. */
export const DEFAULT_WINDOW_DAYS = 90;

export function editorSpec(field: FieldSpec, operator: string): EditorSpec {
  if (NO_VALUE_OPERATORS.includes(operator)) return { shape: 'none' };
  if (DAYS_OPERATORS.includes(operator)) return { shape: 'days' };
  if (PAIR_OPERATORS.includes(operator)) return { shape: 'pair', kind: field.kind, unit: field.unit };
  if (LIST_OPERATORS.includes(operator)) return { shape: 'list', kind: field.kind, choices: field.choices };
  return { shape: 'single', kind: field.kind, choices: field.choices, unit: field.unit };
}

/** The empty value of an editor: what a new rule (or a rule whose operator changed) starts with. */
export function emptyValue(spec: EditorSpec): unknown {
  switch (spec.shape) {
    case 'none':
      return '';
    case 'days':
      return '';
    case 'pair':
      return ['', ''];
    case 'list':
      return [];
    case 'single':
      return spec.kind === 'boolean' ? true : '';
  }
}

/** Whether a rule on this field with this operator carries a window. */
export function takesWindow(field: FieldSpec, operator: string): boolean {
  return field.window !== 'never' && !NO_VALUE_OPERATORS.includes(operator) && !DAYS_OPERATORS.includes(operator);
}

export function defaultValue(field: FieldSpec, operator: string): unknown {
  const inner = emptyValue(editorSpec(field, operator));
  if (field.window !== 'always' || !takesWindow(field, operator)) return inner;
  return { days: DEFAULT_WINDOW_DAYS, value: inner } satisfies WindowedValue;
}

function blank(value: unknown): boolean {
  return value === '' || value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

export function isWindowedValue(value: unknown): value is WindowedValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'days' in value;
}

/** Why a value is not finished yet ("Enter a value"), or null when the editor's value is complete. */
export function valueProblem(spec: EditorSpec, value: unknown): string | null {
  switch (spec.shape) {
    case 'none':
      return null;
    case 'days':
      return blank(value) ? 'Enter a number of days' : null;
    case 'single':
      return blank(value) ? 'Enter a value' : null;
    case 'pair':
      return !Array.isArray(value) || value.length !== 2 || value.some(blank) ? 'Enter both ends of the range' : null;
    case 'list':
      return !Array.isArray(value) || value.length === 0 ? 'Choose at least one value' : null;
  }
}

/** Why a rule is not finished yet, or null when it can be counted. */
export function ruleProblem(field: FieldSpec | undefined, operator: string, value: unknown): string | null {
  if (field === undefined) return 'Choose a field';
  if (!field.operators.some((op) => op.name === operator)) return 'Choose a condition';
  const spec = editorSpec(field, operator);
  if (!takesWindow(field, operator)) return valueProblem(spec, value);
  if (!isWindowedValue(value)) {
    return field.window === 'always' ? 'Enter a number of days' : valueProblem(spec, value);
  }
  if (blank(value.days)) return 'Enter a number of days';
  return valueProblem(spec, value.value);
}

const OPERATOR_LABELS: Record<string, string> = {
  '=': 'is',
  '!=': 'is not',
  '<': 'is less than',
  '>': 'is more than',
  '<=': 'is at most',
  '>=': 'is at least',
  contains: 'contains',
  beginsWith: 'begins with',
  endsWith: 'ends with',
  doesNotContain: 'does not contain',
  doesNotBeginWith: 'does not begin with',
  doesNotEndWith: 'does not end with',
  null: 'is empty',
  notNull: 'is not empty',
  in: 'is any of',
  notIn: 'is none of',
  between: 'is between',
  notBetween: 'is not between',
  inLastDays: 'is in the last',
  notInLastDays: 'is not in the last',
};

/** Dates read better as "before" / "after". */
const DATE_OPERATOR_LABELS: Record<string, string> = {
  '=': 'is on',
  '!=': 'is not on',
  '<': 'is before',
  '>': 'is after',
  '<=': 'is on or before',
  '>=': 'is on or after',
};

/** An operator in words for a field of this kind ("is at least", "is before"). */
export function operatorLabel(operator: string, kind: ValueKind): string {
  if (kind === 'date') return DATE_OPERATOR_LABELS[operator] ?? OPERATOR_LABELS[operator] ?? operator;
  return OPERATOR_LABELS[operator] ?? operator;
}
