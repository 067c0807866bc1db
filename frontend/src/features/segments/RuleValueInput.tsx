import { Group, MultiSelect, NumberInput, SegmentedControl, Select, TagsInput, Text, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import type { ReactNode } from 'react';

import { DEFAULT_WINDOW_DAYS, editorSpec, isWindowedValue, takesWindow } from './fields';
import type { Choice, EditorSpec, FieldSpec, ValueKind, WindowedValue } from './fields';

/** The store's currency: money rules compare amounts in it. */
const CURRENCY_PREFIX = '$';

const INPUT_WIDTH = { text: 200, number: 120, date: 150, choice: 200 } as const;

type InputProps = {
  /** The field's name in words: each input is labelled "<label> value", "<label> from", ... */
  label: string;
  invalid: boolean;
  disabled: boolean;
};

function isNumeric(kind: ValueKind): boolean {
  return kind === 'integer' || kind === 'number' || kind === 'money';
}

/** A number input's value as the tree holds it: a number, or '' while empty. */
function toNumber(value: string | number): number | '' {
  if (typeof value === 'number') return value;
  const n = Number(value);
  return value.trim() === '' || !Number.isFinite(n) ? '' : n;
}

function asString(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function asNumberOrEmpty(value: unknown): number | '' {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return toNumber(value);
  return '';
}

function choiceData(choices: readonly Choice[]) {
  return choices.map(({ value, label }) => ({ value, label }));
}

function NumberValue({
  kind,
  unit,
  value,
  onChange,
  ariaLabel,
  invalid,
  disabled,
}: {
  kind: ValueKind;
  unit: string | null;
  value: unknown;
  onChange: (value: number | '') => void;
  ariaLabel: string;
  invalid: boolean;
  disabled: boolean;
}) {
  return (
    <NumberInput
      aria-label={ariaLabel}
      value={asNumberOrEmpty(value)}
      onChange={(v) => onChange(toNumber(v))}
      allowDecimal={kind !== 'integer'}
      decimalScale={kind === 'money' ? 2 : undefined}
      allowNegative={false}
      thousandSeparator=","
      prefix={kind === 'money' ? CURRENCY_PREFIX : undefined}
      rightSection={
        unit !== null && kind !== 'money' ? (
          <Text size="xs" c="dimmed">
            {unit}
          </Text>
        ) : undefined
      }
      rightSectionWidth={unit !== null && kind !== 'money' ? 56 : undefined}
      hideControls
      w={unit !== null && kind !== 'money' ? INPUT_WIDTH.number + 40 : INPUT_WIDTH.number}
      error={invalid}
      disabled={disabled}
      size="sm"
    />
  );
}

/** One value of a field's kind: a number, an amount, a date, a yes/no, a pick from a list, or text. */
function SingleValue({
  kind,
  choices,
  unit,
  value,
  onChange,
  ariaLabel,
  invalid,
  disabled,
}: {
  kind: ValueKind;
  choices: readonly Choice[] | null;
  unit: string | null;
  value: unknown;
  onChange: (value: unknown) => void;
  ariaLabel: string;
  invalid: boolean;
  disabled: boolean;
}) {
  if (isNumeric(kind)) {
    return (
      <NumberValue
        kind={kind}
        unit={unit}
        value={value}
        onChange={onChange}
        ariaLabel={ariaLabel}
        invalid={invalid}
        disabled={disabled}
      />
    );
  }
  if (kind === 'boolean') {
    return (
      <SegmentedControl
        aria-label={ariaLabel}
        data={[
          { value: 'true', label: 'Yes' },
          { value: 'false', label: 'No' },
        ]}
        value={value === false || value === 'false' ? 'false' : 'true'}
        onChange={(v) => onChange(v === 'true')}
        disabled={disabled}
        size="sm"
      />
    );
  }
  if (kind === 'date') {
    const day = asString(value);
    return (
      <DateInput
        aria-label={ariaLabel}
        value={day === '' ? null : day}
        onChange={(v) => onChange(v ?? '')}
        valueFormat="YYYY-MM-DD"
        placeholder="YYYY-MM-DD"
        clearable
        popoverProps={{ withinPortal: true }}
        w={INPUT_WIDTH.date}
        error={invalid}
        disabled={disabled}
        size="sm"
      />
    );
  }
  if (choices !== null) {
    return (
      <Select
        aria-label={ariaLabel}
        data={choiceData(choices)}
        value={asString(value) === '' ? null : asString(value)}
        onChange={(v) => onChange(v ?? '')}
        searchable
        placeholder="Choose…"
        nothingFoundMessage="No such value"
        comboboxProps={{ withinPortal: true }}
        w={INPUT_WIDTH.choice}
        error={invalid}
        disabled={disabled}
        size="sm"
      />
    );
  }
  return (
    <TextInput
      aria-label={ariaLabel}
      value={asString(value)}
      onChange={(e) => onChange(e.currentTarget.value)}
      w={INPUT_WIDTH.text}
      error={invalid}
      disabled={disabled}
      size="sm"
    />
  );
}

/** A list of values: picked from the catalog's allowed values, or typed in (Enter adds one). */
function ListValue({
  kind,
  choices,
  value,
  onChange,
  ariaLabel,
  invalid,
  disabled,
}: {
  kind: ValueKind;
  choices: readonly Choice[] | null;
  value: unknown;
  onChange: (value: unknown[]) => void;
  ariaLabel: string;
  invalid: boolean;
  disabled: boolean;
}) {
  const items = Array.isArray(value) ? value.map(asString) : [];
  if (choices !== null) {
    return (
      <MultiSelect
        aria-label={ariaLabel}
        data={choiceData(choices)}
        value={items}
        onChange={onChange}
        searchable
        placeholder={items.length === 0 ? 'Choose…' : undefined}
        nothingFoundMessage="No such value"
        comboboxProps={{ withinPortal: true }}
        miw={INPUT_WIDTH.choice}
        maw={420}
        error={invalid}
        disabled={disabled}
        size="sm"
      />
    );
  }
  return (
    <TagsInput
      aria-label={ariaLabel}
      value={items}
      onChange={(next) => onChange(isNumeric(kind) ? next.map(toNumber).filter((n) => n !== '') : next)}
      placeholder={items.length === 0 ? 'Type, then Enter' : undefined}
      miw={INPUT_WIDTH.choice}
      maw={420}
      error={invalid}
      disabled={disabled}
      size="sm"
    />
  );
}

/** The value part of an editor (no window). */
function InnerValue({ spec, value, onChange, label, invalid, disabled }: InputProps & {
  spec: EditorSpec;
  value: unknown;
  onChange: (value: unknown) => void;
}): ReactNode {
  switch (spec.shape) {
    case 'none':
      return null;
    case 'days':
      return (
        <NumberValue
          kind="integer"
          unit="days"
          value={value}
          onChange={onChange}
          ariaLabel={`${label} days`}
          invalid={invalid}
          disabled={disabled}
        />
      );
    case 'single':
      return (
        <SingleValue
          kind={spec.kind}
          choices={spec.choices}
          unit={spec.unit}
          value={value}
          onChange={onChange}
          ariaLabel={`${label} value`}
          invalid={invalid}
          disabled={disabled}
        />
      );
    case 'list':
      return (
        <ListValue
          kind={spec.kind}
          choices={spec.choices}
          value={value}
          onChange={onChange}
          ariaLabel={`${label} values`}
          invalid={invalid}
          disabled={disabled}
        />
      );
    case 'pair': {
      const pair: unknown[] = Array.isArray(value) ? value : ['', ''];
      const set = (i: number) => (v: unknown) => onChange(i === 0 ? [v, pair[1] ?? ''] : [pair[0] ?? '', v]);
      return (
        <Group gap={6} wrap="nowrap">
          <SingleValue
            kind={spec.kind}
            choices={null}
            unit={spec.unit}
            value={pair[0]}
            onChange={set(0)}
            ariaLabel={`${label} from`}
            invalid={invalid}
            disabled={disabled}
          />
          <Text size="sm" c="dimmed">
            and
          </Text>
          <SingleValue
            kind={spec.kind}
            choices={null}
            unit={spec.unit}
            value={pair[1]}
            onChange={set(1)}
            ariaLabel={`${label} to`}
            invalid={invalid}
            disabled={disabled}
          />
        </Group>
      );
    }
  }
}

export type RuleValueInputProps = {
  field: FieldSpec;
  operator: string;
  value: unknown;
  onChange: (value: unknown) => void;
  /** The rule has a problem (unfinished, or the server refused it): the inputs show it. */
  invalid?: boolean;
  disabled?: boolean;
};

/**
 * A rule's value editor, chosen by the field's kind and the operator: numbers, amounts, dates, "in
 * the last N days", pickers from the catalog's allowed values (one, or several for "is any of"),
 * two inputs for a range, and for windowed behaviour fields the value with its window
 * (`{"days": 90, "value": 3}`: "3 … in the last 90 days").
 */
export function RuleValueInput({ field, operator, value, onChange, invalid = false, disabled = false }: RuleValueInputProps) {
  const spec = editorSpec(field, operator);
  const common = { label: field.label, invalid, disabled };
  if (!takesWindow(field, operator)) {
    return <InnerValue spec={spec} value={value} onChange={onChange} {...common} />;
  }
  const hasWindow = isWindowedValue(value);
  const windowed: WindowedValue = hasWindow ? value : { days: DEFAULT_WINDOW_DAYS, value };
  const inner = (
    <InnerValue
      spec={spec}
      value={windowed.value}
      onChange={(v) => onChange(hasWindow || field.window === 'always' ? { ...windowed, value: v } : v)}
      {...common}
    />
  );
  const days = (
    <NumberValue
      kind="integer"
      unit="days"
      value={windowed.days}
      onChange={(d) => onChange({ ...windowed, days: d })}
      ariaLabel={`${field.label} window`}
      invalid={invalid}
      disabled={disabled}
    />
  );
  if (field.window === 'always') {
    return (
      <Group gap={6} wrap="wrap" align="center">
        {inner}
        <Text size="sm" c="dimmed">
          in the last
        </Text>
        {days}
      </Group>
    );
  }
  // Optional window: "ever" keeps the plain value; "in the last" wraps it as {days, value}.
  return (
    <Group gap={6} wrap="wrap" align="center">
      {inner}
      <Select
        aria-label={`${field.label} when`}
        data={[
          { value: 'ever', label: 'ever' },
          { value: 'window', label: 'in the last' },
        ]}
        value={hasWindow ? 'window' : 'ever'}
        onChange={(v) => onChange(v === 'window' ? windowed : windowed.value)}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
        w={130}
        disabled={disabled}
        size="sm"
      />
      {hasWindow && days}
    </Group>
  );
}
