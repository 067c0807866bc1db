/** Rules in words, for explanations and summaries: "Lifetime spend is at least $500". */
import { formatInteger, formatMoney } from '@/lib/format';

import { isWindowedValue, operatorLabel } from './fields';
import type { FieldSpec } from './fields';

function one(field: FieldSpec | undefined, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (field?.kind === 'money' && (typeof value === 'number' || typeof value === 'string')) {
    return formatMoney(String(value));
  }
  if (typeof value === 'number') return formatInteger(value);
  if (typeof value === 'string') {
    return field?.choices?.find((c) => c.value === value)?.label ?? value;
  }
  return JSON.stringify(value);
}

/** A rule's value in words: "$500", "DE, FR", "$100 and $200", "3 in the last 30 days". */
export function describeValue(field: FieldSpec | undefined, operator: string, value: unknown): string {
  if (operator === 'null' || operator === 'notNull') return '';
  if (operator === 'inLastDays' || operator === 'notInLastDays') return `${one(undefined, value)} days`;
  if (isWindowedValue(value)) {
    const days = value.days === '' ? '?' : formatInteger(value.days);
    return `${describeValue(field, operator, value.value)} in the last ${days} days`;
  }
  if (Array.isArray(value)) {
    const parts = value.map((v) => one(field, v));
    return operator === 'between' || operator === 'notBetween' ? parts.join(' and ') : parts.join(', ');
  }
  return one(field, value);
}

export function describeRule(field: FieldSpec | undefined, fieldId: string, operator: string, value: unknown): string {
  const label = field?.label ?? fieldId;
  const op = operatorLabel(operator, field?.kind ?? 'text');
  return [label, op, describeValue(field, operator, value)].filter((part) => part !== '').join(' ');
}

/** A customer's own value for a field, as the explanation shows it. */
export function describeActual(field: FieldSpec | undefined, actual: unknown): string {
  if (actual === null || actual === undefined) return 'none';
  if (Array.isArray(actual)) return actual.length === 0 ? 'none' : actual.map((v) => one(field, v)).join(', ');
  return one(field, actual);
}
