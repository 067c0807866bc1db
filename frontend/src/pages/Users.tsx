import { Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';

import type { Role, UserAdminOut, UserUpdate } from '@/api/client';
import { useUpdateUser, useUsersList } from '@/api/queries/users';
import { ROLE_LABELS, useCurrentUser } from '@/components/currentUser';
import { IconPlus } from '@/components/icons';
import { ListPage } from '@/components/ListPage';
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

  return (
    <ListPage
      title="Users"
      description="Who may log in, with which role."
      actions={
        <Button leftSection={<IconPlus size={16} />} onClick={createModal.open}>
          New user
        </Button>
      }
      query={list}
      errorTitle="Could not load users"
      // Never seen in practice: the admin looking is a user.
      empty={{ title: 'No users yet', message: 'Add the first one with New user.' }}
      table={({ items, loading }) => (
        <UsersTable
          users={items}
          loading={loading}
          currentUserId={me.id}
          busyUserId={update.isPending ? update.variables.id : null}
          onRoleChange={onRoleChange}
          onActiveChange={onActiveChange}
          onResetPassword={setResetting}
        />
      )}
    >
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
    </ListPage>
  );
}
