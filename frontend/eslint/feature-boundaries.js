/**
 * ESLint rule `shopcrm/no-cross-feature-imports`: a file in `src/features/<a>/` must not import
 * from `src/features/<b>/`. Pages and shared components compose features; features stay independent.
 *
 * Resolves both relative specifiers (`../customers/x`) and the `@/` alias (`@/features/customers`),
 * for `import`, `export ... from` and dynamic `import()`. New feature folders are covered
 * automatically.
 */
import path from 'node:path';

const FEATURES_SEGMENT = `${path.sep}src${path.sep}features${path.sep}`;

/** Name of the feature an absolute path lies in, or null. */
function featureOf(absPath) {
  const normalized = path.normalize(absPath);
  const at = normalized.lastIndexOf(FEATURES_SEGMENT);
  if (at === -1) return null;
  const rest = normalized.slice(at + FEATURES_SEGMENT.length);
  const name = rest.split(path.sep)[0];
  return name ? name.replace(/\.[cm]?[jt]sx?$/, '') : null;
}

function srcRootOf(absPath) {
  const normalized = path.normalize(absPath);
  const at = normalized.lastIndexOf(FEATURES_SEGMENT);
  return normalized.slice(0, at + `${path.sep}src`.length);
}

/** @type {import('eslint').Rule.RuleModule} */
export const noCrossFeatureImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid a feature folder from importing another feature folder.' },
    schema: [],
    messages: {
      crossFeature:
        "Feature '{{from}}' must not import from feature '{{to}}'. Move the shared code to src/components, src/lib or src/api, or compose both features in a page.",
    },
  },
  create(context) {
    const filename = context.filename;
    const from = featureOf(filename);
    if (from === null) return {};
    const srcRoot = srcRootOf(filename);

    function check(node, source) {
      if (!source || typeof source.value !== 'string') return;
      const spec = source.value;
      let target;
      if (spec.startsWith('@/')) target = path.join(srcRoot, spec.slice(2));
      else if (spec.startsWith('.')) target = path.resolve(path.dirname(filename), spec);
      else return;
      const to = featureOf(`${target}${path.sep}`);
      if (to !== null && to !== from) {
        context.report({ node: source, messageId: 'crossFeature', data: { from, to } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export const featureBoundariesPlugin = {
  meta: { name: 'shopcrm-feature-boundaries' },
  rules: { 'no-cross-feature-imports': noCrossFeatureImports },
};
