import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';

import type { Role, UserAdminOut, UserUpdate } from '@/api/client';
import { useUpdateUser, useUsersList } from '@/api/queries/users';
import { ROLE_LABELS, useCurrentUser } from '@/components/currentUser';
import { IconPlus } from '@/components/icons';
import { QueryError } from '@/components/QueryError';
import { CreateUserModal } from '@/features/users/CreateUserModal';
import { DeactivateUserModal } from '@/features/users/DeactivateUserModal';
import { ResetPasswordModal } from '@/features/users/ResetPasswordModal';
import { UsersTable } from '@/features/users/UsersTable';

/** Admins only (the registry's `roles` and the API both say so): who may log in, and how. */
export default function UsersPage() {
  const me = useCurrentUser();
  const list = useUsersList();
  const update = useUpdateUser();
  const [creating, createModal] = useDisclosure(false);
  const [resetting, setResetting] = useState<UserAdminOut | null>(null);
  const [deactivating, setDeactivating] = useState<UserAdminOut | null>(null);

  const save = (user: UserAdminOut, body: UserUpdate, done: string) => {
    update.mutate(
      { id: user.id, body },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: done });
          setDeactivating(null);
        },
        onError: (error) => {
          notifications.show({ color: 'red', title: `Could not change ${user.full_name}`, message: error.message });
        },
      },
    );
  };

  const onRoleChange = (user: UserAdminOut, role: Role) => {
    save(user, { role }, `${user.full_name} is now ${ROLE_LABELS[role]}.`);
  };

  const onActiveChange = (user: UserAdminOut, active: boolean) => {
    if (active) save(user, { is_active: true }, `${user.full_name} can log in again.`);
    else setDeactivating(user);
  };

  const users = list.data?.items ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Users</Title>
          <Text c="dimmed" size="sm">
            Who may log in, with which role.
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} />} onClick={createModal.open}>
          New user
        </Button>
      </Group>

      <Card withBorder radius="md" padding="md">
        {list.isError ? (
          <QueryError
            title="Could not load users"
            error={list.error}
            onRetry={() => void list.refetch()}
            retrying={list.isFetching}
          />
        ) : (
          <UsersTable
            users={users}
            loading={list.isPending}
            currentUserId={me.id}
            busyUserId={update.isPending ? update.variables.id : null}
            onRoleChange={onRoleChange}
            onActiveChange={onActiveChange}
            onResetPassword={setResetting}
          />
        )}
      </Card>

      <CreateUserModal opened={creating} onClose={createModal.close} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
      <DeactivateUserModal
        user={deactivating}
        pending={update.isPending}
        onConfirm={(user) =>
          save(user, { is_active: false }, `${user.full_name} was deactivated; their sessions and tokens ended.`)
        }
        onClose={() => setDeactivating(null)}
      />
    </Stack>
  );
}
