import { defineConfig } from '@hey-api/openapi-ts';

// The generated client is never edited by hand: `npm run gen:api` rewrites it from openapi.json.
// OPENAPI_TS_OUTPUT lets `make lint` generate into a temp dir and diff against src/api/client.
export default defineConfig({
  input: 'openapi.json',
  output: process.env.OPENAPI_TS_OUTPUT ?? 'src/api/client',
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk', '@tanstack/react-query'],
});
