/**
 * The frontend's layering, as ESLint rules (plugin `shopcrm`):
 *
 * - `no-cross-feature-imports`: a file in `src/features/<a>/` must not import from
 *   `src/features/<b>/`. Features stay independent; a page composes them.
 * - `no-feature-imports`: a file in a shared layer (`src/components/`, `src/lib/`, `src/api/`)
 *   must not import from `src/features/` at all. Shared pieces know no domain; a page (or
 *   `router.tsx`) hands a feature to them as a prop or a slot.
 *
 * Both resolve relative specifiers (`../customers/x`, `../../features/x`) and the `@/` alias
 * (`@/features/customers`), for `import`, `export ... from` and dynamic `import()`. New feature
 * folders, and new files in the shared layers, are covered automatically.
 */
import path from 'node:path';

const SRC_SEGMENT = `${path.sep}src${path.sep}`;
const FEATURES = 'features';
/** Folders under src/ that every feature may use and that therefore may use no feature. */
export const SHARED_LAYERS = ['components', 'lib', 'api'];

/**
 * Where an absolute path lies under the last `src/` folder: its top folder (`features`,
 * `components`, ...) and, inside it, the next segment (a feature's name); null outside any `src/`.
 */
function locate(absPath) {
  const normalized = path.normalize(absPath);
  const at = normalized.lastIndexOf(SRC_SEGMENT);
  if (at === -1) return null;
  const [layer = '', name = ''] = normalized.slice(at + SRC_SEGMENT.length).split(path.sep);
  return {
    srcRoot: normalized.slice(0, at + SRC_SEGMENT.length - 1),
    layer: layer.replace(/\.[cm]?[jt]sx?$/, ''),
    name: name.replace(/\.[cm]?[jt]sx?$/, ''),
  };
}

/** The feature an import specifier of `filename` points into, or null (packages, other layers). */
function importedFeature(filename, srcRoot, spec) {
  let target;
  if (spec.startsWith('@/')) target = path.join(srcRoot, spec.slice(2));
  else if (spec.startsWith('.')) target = path.resolve(path.dirname(filename), spec);
  else return null;
  const where = locate(`${target}${path.sep}`);
  if (where === null || where.srcRoot !== srcRoot || where.layer !== FEATURES) return null;
  return where.name;
}

/** Calls `check(sourceNode)` for every module specifier in the file. */
function onEverySource(check) {
  const visit = (node) => {
    if (node.source && typeof node.source.value === 'string') check(node.source);
  };
  return {
    ImportDeclaration: visit,
    ExportNamedDeclaration: visit,
    ExportAllDeclaration: visit,
    ImportExpression: visit,
  };
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
    const here = locate(filename);
    if (here === null || here.layer !== FEATURES || here.name === '') return {};
    return onEverySource((source) => {
      const to = importedFeature(filename, here.srcRoot, source.value);
      // `to === ''`: the features folder itself (an index), which is every feature.
      if (to !== null && to !== here.name) {
        context.report({ node: source, messageId: 'crossFeature', data: { from: here.name, to: to || '*' } });
      }
    });
  },
};

/** @type {import('eslint').Rule.RuleModule} */
export const noFeatureImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid the shared layers (components, lib, api) from importing any feature.' },
    schema: [],
    messages: {
      featureInShared:
        "src/{{layer}} is shared and knows no domain: it must not import from feature '{{to}}'. Take the feature's part as a prop, a callback or a slot, and let a page (or router.tsx) pass it in.",
    },
  },
  create(context) {
    const filename = context.filename;
    const here = locate(filename);
    if (here === null || !SHARED_LAYERS.includes(here.layer)) return {};
    return onEverySource((source) => {
      const to = importedFeature(filename, here.srcRoot, source.value);
      if (to !== null) {
        context.report({ node: source, messageId: 'featureInShared', data: { layer: here.layer, to: to || '*' } });
      }
    });
  },
};

export const featureBoundariesPlugin = {
  meta: { name: 'shopcrm-feature-boundaries' },
  rules: { 'no-cross-feature-imports': noCrossFeatureImports, 'no-feature-imports': noFeatureImports },
};
