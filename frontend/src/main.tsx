import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/charts/styles.css';
import './focus.css';

import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';

import { configureApiClient, setUnauthorizedHandler } from './api/http';
import { createQueryClient } from './api/queryClient';
import { LOGIN_PATH, loginPathFor } from './lib/nextPath';
import { createAppRouter } from './router';
import { cssVariablesResolver, theme } from './theme';

configureApiClient();
const queryClient = createQueryClient();
const router = createAppRouter();

// A 401 from any API call (the session expired or was revoked): back to the login page, then
// forget everything cached for the old session.
setUnauthorizedHandler(() => {
  const { pathname, search, hash } = router.state.location;
  if (pathname === LOGIN_PATH) return;
  void router.navigate(loginPathFor(pathname + search + hash), { replace: true }).then(() => {
    queryClient.clear();
  });
});

const root = document.getElementById('root');
if (root === null) throw new Error('#root is missing from index.html');

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
