import { Alert, Button, Center, Stack, Text } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';

import { isApiError } from '@/api/errors';
import { useMe } from '@/api/queries/auth';
import { loginPathFor } from '@/lib/nextPath';

import { CurrentUserContext } from './currentUser';
import { PageLoader } from './PageLoader';

/** Guards every route below it: loads `GET /api/auth/me`, sends a visitor to the login page. */
export function RequireAuth() {
  const location = useLocation();
  const me = useMe();

  if (isApiError(me.error) && me.error.status === 401) {
    return <Navigate to={loginPathFor(location.pathname + location.search + location.hash)} replace />;
  }

  if (me.data !== undefined) {
    return (
      <CurrentUserContext value={me.data}>
        <Outlet />
      </CurrentUserContext>
    );
  }

  if (me.isError) {
    return (
      <Center mih="100vh" p="md">
        <Alert color="red" title="ShopCRM could not start" maw={420}>
          <Stack gap="sm">
            <Text size="sm">{me.error.message}</Text>
            <Button variant="light" color="red" onClick={() => void me.refetch()} loading={me.isFetching}>
              Try again
            </Button>
          </Stack>
        </Alert>
      </Center>
    );
  }

  return <PageLoader />;
}
