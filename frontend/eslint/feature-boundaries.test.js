// @vitest-environment node
import { RuleTester } from 'eslint';
import { afterAll, describe, it } from 'vitest';

import { noCrossFeatureImports } from './feature-boundaries.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ruleTester = new RuleTester({
  languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
});

const AUTH_FILE = '/repo/frontend/src/features/auth/LoginForm.tsx';
const AUTH_NESTED = '/repo/frontend/src/features/auth/api/session.ts';

ruleTester.run('no-cross-feature-imports', noCrossFeatureImports, {
  valid: [
    { filename: AUTH_FILE, code: "import { validateLogin } from './validation';" },
    { filename: AUTH_NESTED, code: "import { x } from '../validation';" },
    { filename: AUTH_FILE, code: "import { x } from '@/features/auth/validation';" },
    { filename: AUTH_FILE, code: "import { useLogin } from '@/api/queries/auth';" },
    { filename: AUTH_FILE, code: "import { Brand } from '../../components/Brand';" },
    { filename: AUTH_FILE, code: "import { Button } from '@mantine/core';" },
    // Pages compose features: the rule only applies inside src/features.
    {
      filename: '/repo/frontend/src/pages/Customers.tsx',
      code: "import { A } from '@/features/auth/A'; import { B } from '../features/customers/B';",
    },
  ],
  invalid: [
    {
      filename: AUTH_FILE,
      code: "import { CustomerTable } from '@/features/customers/CustomerTable';",
      errors: [{ messageId: 'crossFeature', data: { from: 'auth', to: 'customers' } }],
    },
    {
      filename: AUTH_FILE,
      code: "import { CustomerTable } from '../customers/CustomerTable';",
      errors: [{ messageId: 'crossFeature' }],
    },
    {
      filename: AUTH_NESTED,
      code: "import * as orders from '../../orders';",
      errors: [{ messageId: 'crossFeature', data: { from: 'auth', to: 'orders' } }],
    },
    {
      filename: AUTH_FILE,
      code: "export { x } from '@/features/segments';",
      errors: [{ messageId: 'crossFeature' }],
    },
    {
      filename: AUTH_FILE,
      code: "const m = import('../flows/FlowEditor');",
      errors: [{ messageId: 'crossFeature' }],
    },
  ],
});
