import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Link, Outlet } from 'react-router';

import type { Role } from '@/api/client';

import { ROLE_LABELS, useCurrentUser } from './currentUser';

/** Guards a page meant for some roles (under RequireAuth): anyone else sees why they cannot open it. */
export function RequireRole({ roles }: { roles: readonly Role[] }) {
  const user = useCurrentUser();
  if (roles.includes(user.role)) return <Outlet />;
  return (
    <Center mih="60vh">
      <Stack align="center" gap="sm">
        <Text fw={800} fz={64} c="gray.4" lh={1}>
          403
        </Text>
        <Title order={2}>No access</Title>
        <Text c="dimmed" ta="center">
          Only {roles.map((r) => ROLE_LABELS[r]).join(' and ')} users can open this page; your role is{' '}
          {ROLE_LABELS[user.role]}.
        </Text>
        <Button component={Link} to="/" mt="sm">
          Back to Home
        </Button>
      </Stack>
    </Center>
  );
}
