import type { Field } from 'react-querybuilder';

import { operatorLabel } from './fields';
import type { FieldSpec } from './fields';

/** A builder field carrying its spec, which the value editor reads. */
export type BuilderField = Field & { spec: FieldSpec };

/** The fields as the builder's field picker lists them: grouped as the catalog groups them. */
export function builderFields(specs: readonly FieldSpec[]) {
  const groups = new Map<string, BuilderField[]>();
  for (const spec of specs) {
    const field: BuilderField = {
      name: spec.name,
      value: spec.name,
      label: spec.label,
      operators: spec.operators.map((op) => ({ name: op.name, value: op.name, label: op.label || operatorLabel(op.name, spec.kind) })),
      spec,
    };
    const list = groups.get(spec.group) ?? [];
    list.push(field);
    groups.set(spec.group, list);
  }
  return [...groups.entries()].map(([label, options]) => ({ label, options }));
}

