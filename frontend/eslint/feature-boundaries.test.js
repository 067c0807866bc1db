// @vitest-environment node
import { RuleTester } from 'eslint';
import { afterAll, describe, it } from 'vitest';

import { noCrossFeatureImports, noFeatureImports } from './feature-boundaries.js';

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
    {
      filename: AUTH_FILE,
      code: "import { everything } from '..';",
      errors: [{ messageId: 'crossFeature', data: { from: 'auth', to: '*' } }],
    },
  ],
});

const COMPONENT = '/repo/frontend/src/components/DetailDrawer.tsx';
const LIB = '/repo/frontend/src/lib/useUrlListState.ts';
const LIB_TEST = '/repo/frontend/src/lib/useUrlListState.test.tsx';
const API_QUERIES = '/repo/frontend/src/api/queries/customers.ts';

ruleTester.run('no-feature-imports', noFeatureImports, {
  valid: [
    { filename: COMPONENT, code: "import { useBelow } from './useBreakpoint';" },
    { filename: COMPONENT, code: "import { formatMoney } from '@/lib/format'; import { x } from '../lib/y';" },
    { filename: LIB, code: "import { applyListPatch } from './listState';" },
    { filename: API_QUERIES, code: "import { customersList } from '../client'; import { orderKeys } from './orders';" },
    { filename: COMPONENT, code: "import { Drawer } from '@mantine/core';" },
    // A folder called `api` or `lib` inside a feature is part of the feature, not a shared layer.
    { filename: '/repo/frontend/src/features/auth/api/session.ts', code: "import { x } from '../validation';" },
    // Pages and the router compose features with the shared pieces.
    { filename: '/repo/frontend/src/pages/Orders.tsx', code: "import { OrdersTable } from '@/features/orders/OrdersTable';" },
    { filename: '/repo/frontend/src/router.tsx', code: "import { M } from './features/account/ChangePasswordModal';" },
  ],
  invalid: [
    {
      filename: COMPONENT,
      code: "import { CustomerDetailsPanel } from '@/features/customers/CustomerDetailsPanel';",
      errors: [{ messageId: 'featureInShared', data: { layer: 'components', to: 'customers' } }],
    },
    {
      filename: COMPONENT,
      code: "import { OrderDetailsPanel } from '../features/orders/OrderDetailsPanel';",
      errors: [{ messageId: 'featureInShared', data: { layer: 'components', to: 'orders' } }],
    },
    {
      filename: '/repo/frontend/src/components/nested/Deep.tsx',
      code: "export * from '../../features/segments';",
      errors: [{ messageId: 'featureInShared', data: { layer: 'components', to: 'segments' } }],
    },
    {
      filename: LIB,
      code: "export { customerListCodec } from '@/features/customers/listState';",
      errors: [{ messageId: 'featureInShared', data: { layer: 'lib', to: 'customers' } }],
    },
    {
      // Tests of a shared layer are held to the same rule.
      filename: LIB_TEST,
      code: "import { customerListCodec } from '../features/customers/listState';",
      errors: [{ messageId: 'featureInShared', data: { layer: 'lib', to: 'customers' } }],
    },
    {
      filename: API_QUERIES,
      code: "const m = import('@/features/flows/FlowEditor');",
      errors: [{ messageId: 'featureInShared', data: { layer: 'api', to: 'flows' } }],
    },
    {
      filename: LIB,
      code: "import * as all from '@/features';",
      errors: [{ messageId: 'featureInShared', data: { layer: 'lib', to: '*' } }],
    },
  ],
});
