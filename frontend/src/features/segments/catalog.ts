/**
 * The field catalog (`GET /api/segments/fields`) as the builder's field specs: the backend's field
 * types mapped onto the value editors, grouped for the field picker.
 */
import type { FieldOut } from './apiTypes';
import { operatorLabel } from './fields';
import type { FieldSpec, ValueKind, WindowMode } from './fields';

const KINDS: Record<string, { kind: ValueKind; window: WindowMode }> = {
  text: { kind: 'text', window: 'never' },
  email: { kind: 'text', window: 'never' },
  choice: { kind: 'choice', window: 'never' },
  tier: { kind: 'choice', window: 'never' },
  boolean: { kind: 'boolean', window: 'never' },
  money: { kind: 'money', window: 'never' },
  integer: { kind: 'integer', window: 'never' },
  days: { kind: 'integer', window: 'never' },
  datetime: { kind: 'date', window: 'never' },
  window_count: { kind: 'integer', window: 'always' },
  window_money: { kind: 'money', window: 'always' },
  bought: { kind: 'choice', window: 'optional' },
};

const ORDER_FIELDS = new Set([
  'total_spend',
  'total_orders',
  'average_order_value',
  'first_order_at',
  'last_order_at',
  'days_since_last_order',
  'tier',
]);

function groupOf(field: FieldOut): string {
  if (['bought', 'window_count', 'window_money'].includes(field.type)) return 'Order history';
  if (ORDER_FIELDS.has(field.id)) return 'Orders and spend';
  return 'Profile';
}

/** Words for the store's fixed values ("active" → "Active"); countries and categories stay as stored. */
function choiceLabel(field: FieldOut, value: string): string {
  return field.type === 'tier' || field.id === 'status' ? value.charAt(0).toUpperCase() + value.slice(1) : value;
}

export function fieldSpec(field: FieldOut): FieldSpec {
  const mapped = KINDS[field.type] ?? { kind: 'text', window: 'never' };
  const hasChoices = field.values !== null && field.values.length > 0;
  // A bought-SKU field has no list to pick from: its values are typed in.
  const kind: ValueKind = mapped.kind === 'choice' && !hasChoices ? 'text' : mapped.kind;
  return {
    name: field.id,
    label: field.label,
    kind,
    window: mapped.window,
    operators: field.operators.map((name) => ({ name, label: operatorLabel(name, kind) })),
    choices: hasChoices ? (field.values ?? []).map((value) => ({ value, label: choiceLabel(field, value) })) : null,
    unit: field.unit === 'money' ? null : field.unit,
    help: field.help === '' ? null : field.help,
    group: groupOf(field),
  };
}

/** The catalog's fields as the builder's, in the catalog's order within each group. */
export function fieldSpecs(fields: readonly FieldOut[]): FieldSpec[] {
  return fields.map(fieldSpec);
}
