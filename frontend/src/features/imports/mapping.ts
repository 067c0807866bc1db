/**
 * The mapping step's rules, kept out of the components so they can be tested on their own:
 * which ShopCRM field each file column goes to, what is still missing before an import may start,
 * and what a preset fills in.
 */

/** A column → field mapping as the API speaks it: `null` = the column is not imported. */
export type Mapping = Record<string, string | null>;

export type FieldInfo = { id: string; label: string; required: boolean; help?: string | null };

export type PresetInfo = { id: string; label: string; kind: string; description: string };

/** The format that books every order as one line of a product the user names (a history with no line items). */
export const ORDERS_SIMPLE = 'orders_simple';

/** Required fields no column maps to, in the fields' order (the server's catalogue says which are required). */
export function missingRequired(fields: readonly FieldInfo[], mapping: Mapping): FieldInfo[] {
  const mapped = new Set(Object.values(mapping).filter((v): v is string => v !== null));
  return fields.filter((f) => f.required && !mapped.has(f.id));
}

/**
 * Columns that map to a field an earlier column already maps to: header → the earlier column's
 * name. A field is read from one column; two would leave which one wins to chance.
 */
export function duplicateColumns(headers: readonly string[], mapping: Mapping): Map<string, string> {
  const firstFor = new Map<string, string>();
  const duplicates = new Map<string, string>();
  for (const header of headers) {
    const field = mapping[header] ?? null;
    if (field === null) continue;
    const first = firstFor.get(field);
    if (first === undefined) firstFor.set(field, header);
    else duplicates.set(header, first);
  }
  return duplicates;
}

/** How headers are compared: case, spaces, dashes and underscores do not matter ("Lineitem SKU" = "lineitem_sku"). */
export function normaliseHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.]+/g, ' ');
}

/**
 * The mapping a preset gives a file. The server's guess (made with the file's own headers) is the
 * answer for the preset it guessed; for another preset, a column is mapped when its header names a
 * field (its id or its label) and left out otherwise, so picking a preset never maps a column to a
 * field it does not hold.
 */
export function mappingForPreset(
  preset: string | null,
  headers: readonly string[],
  fields: readonly FieldInfo[],
  guess: { preset: string | null; mapping: Mapping },
): Mapping {
  if (preset === guess.preset) return { ...guess.mapping };
  const byName = new Map<string, string>();
  for (const field of fields) {
    byName.set(normaliseHeader(field.id), field.id);
    byName.set(normaliseHeader(field.label), field.id);
  }
  const taken = new Set<string>();
  const mapping: Mapping = {};
  for (const header of headers) {
    const field = byName.get(normaliseHeader(header)) ?? null;
    mapping[header] = field !== null && !taken.has(field) ? field : null;
    if (field !== null) taken.add(field);
  }
  return mapping;
}

/** Only the mapping's headers that are in the file (a stale entry would be refused by the server). */
export function mappingForHeaders(headers: readonly string[], mapping: Mapping): Mapping {
  return Object.fromEntries(headers.map((h) => [h, mapping[h] ?? null]));
}

/** A value typed by the user (a SKU, a name): trimmed; blank means none. */
export function blankToNull(value: string): string | null {
  const sku = value.trim();
  return sku === '' ? null : sku;
}

/** Everything that stops the Start button, in words (empty: ready to start). */
export function startProblems({
  fields,
  headers,
  mapping,
  preset,
  productSku,
}: {
  fields: readonly FieldInfo[];
  headers: readonly string[];
  mapping: Mapping;
  preset: string | null;
  productSku: string;
}): string[] {
  const problems: string[] = [];
  const missing = missingRequired(fields, mapping);
  if (missing.length > 0) {
    problems.push(`Map a column to ${joinWords(missing.map((f) => f.label))} (required).`);
  }
  const duplicates = duplicateColumns(headers, mapping);
  if (duplicates.size > 0) {
    problems.push(`Two columns go to the same field: ${[...duplicates.keys()].map((h) => `“${h}”`).join(', ')}.`);
  }
  if (preset === ORDERS_SIMPLE && blankToNull(productSku) === null) {
    problems.push('Name the product SKU the order totals are booked against.');
  }
  if (Object.values(mapping).every((v) => v === null)) {
    problems.push('Map at least one column.');
  }
  return problems;
}

/** "A", "A and B", "A, B and C". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}
