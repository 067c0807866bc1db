import { createBrowserRouter } from 'react-router';
import type { RouteObject } from 'react-router';

import { AppLayout } from './components/AppLayout';
import { PageLoader } from './components/PageLoader';
import { RequireAuth } from './components/RequireAuth';
import { RequireRole } from './components/RequireRole';
import { RouteError } from './components/RouteError';
import { RouteFocus } from './components/RouteFocus';
import { ChangePasswordModal } from './features/account/ChangePasswordModal';
import { availablePages } from './navigation';
import LoginPage from './pages/Login';
import NotFoundPage from './pages/NotFound';

export function buildRoutes(): RouteObject[] {
  const pageRoutes: RouteObject[] = availablePages().map(({ path, page, roles }) => {
    const route: RouteObject = { path, lazy: async () => ({ Component: (await page()).default }) };
    // A page for some roles only: the others get a "no access" page instead of its code.
    return roles === undefined ? route : { element: <RequireRole roles={roles} />, children: [route] };
  });

  return [
    {
      // Names the page in the document title and moves focus to its heading on navigation.
      element: <RouteFocus />,
      errorElement: <RouteError />,
      // Shown while a lazily loaded page's code arrives on the first load.
      hydrateFallbackElement: <PageLoader />,
      children: [
        { path: '/login', element: <LoginPage /> },
        {
          element: <RequireAuth />,
          children: [
            {
              element: <AppLayout passwordDialog={(props) => <ChangePasswordModal {...props} />} />,
              children: [
                {
                  errorElement: <RouteError />,
                  children: [
                    {
                      // The landing page: the dashboard, loaded lazily (its charts are a chunk of their own).
                      index: true,
                      lazy: async () => ({ Component: (await import('./pages/Dashboard')).default }),
                    },
                    ...pageRoutes,
                    { path: '*', element: <NotFoundPage /> },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  ];
}

export function createAppRouter() {
  return createBrowserRouter(buildRoutes());
}
