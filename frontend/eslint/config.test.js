// @vitest-environment node
// The boundary rules are only worth something if eslint.config.js applies them where they belong:
// this asks ESLint which rules it would run on a file of each layer.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: root });

async function rulesFor(file) {
  const config = await eslint.calculateConfigForFile(path.join(root, file));
  return config.rules ?? {};
}

/** ESLint normalises a rule's setting to `[severity, ...options]`, severity 2 = "error". */
function isError(setting) {
  const severity = Array.isArray(setting) ? setting[0] : setting;
  return severity === 2 || severity === 'error';
}

describe('eslint.config.js', () => {
  it.each(['src/components/DetailDrawer.tsx', 'src/components/x/Deep.tsx', 'src/lib/format.ts', 'src/lib/format.test.ts', 'src/api/queries/orders.ts', 'src/api/http.ts'])(
    'forbids %s to import a feature',
    async (file) => {
      expect(isError((await rulesFor(file))['shopcrm/no-feature-imports'])).toBe(true);
    },
  );

  it.each(['src/features/customers/CustomersTable.tsx', 'src/features/orders/listState.test.ts'])(
    'forbids %s to import another feature',
    async (file) => {
      expect(isError((await rulesFor(file))['shopcrm/no-cross-feature-imports'])).toBe(true);
    },
  );

  it.each(['src/pages/Customers.tsx', 'src/router.tsx'])('lets %s compose features', async (file) => {
    const rules = await rulesFor(file);
    expect(rules['shopcrm/no-feature-imports']).toBeUndefined();
    expect(rules['shopcrm/no-cross-feature-imports']).toBeUndefined();
  });
});
