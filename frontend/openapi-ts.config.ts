import { defineConfig } from '@hey-api/openapi-ts';

// The generated client is never edited by hand: `npm run gen:api` rewrites it from openapi.json.
// OPENAPI_TS_OUTPUT lets `make lint` generate into a temp dir and diff against src/api/client.
//
// No `@tanstack/react-query` plugin: src/api/queries/<domain>.ts writes its queryOptions and
// mutations on top of the SDK functions instead, because the plugin's output cannot follow our
// conventions: its keys are one object (`[{ _id: 'customersList', baseUrl, query }]`), not
// `[domain, ...params]`, so "everything about orders" (`['orders']`) or "every customers list"
// (`['customers', 'list']`) cannot be invalidated by prefix after a mutation; its error type is the
// schema's error body, while http.ts throws an `ApiError`; and staleTime, placeholder data and
// cache updates after a mutation would still have to be written around it. Generated code that
// nothing imports only hides which code is live, so it is not generated.
export default defineConfig({
  input: 'openapi.json',
  output: process.env.OPENAPI_TS_OUTPUT ?? 'src/api/client',
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
});
