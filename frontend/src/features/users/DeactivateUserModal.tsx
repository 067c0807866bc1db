import { Button, Group, List, Modal, Stack, Text } from '@mantine/core';

import type { UserAdminOut } from '@/api/client';

/** Asks before a user loses access: what deactivation does, and that it is not undone by reactivating. */
export function DeactivateUserModal({
  user,
  pending,
  onConfirm,
  onClose,
}: {
  user: UserAdminOut | null;
  pending: boolean;
  onConfirm: (user: UserAdminOut) => void;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      title={user === null ? 'Deactivate user' : `Deactivate ${user.full_name}?`}
      closeButtonProps={{ 'aria-label': 'Close without deactivating' }}
    >
      {user !== null && (
        <Stack gap="sm">
          <Text size="sm">{user.email} will no longer be able to log in. At once:</Text>
          <List size="sm" spacing={4}>
            <List.Item>every browser session they have is logged out;</List.Item>
            <List.Item>every API token they made is revoked, for good.</List.Item>
          </List>
          <Text size="sm" c="dimmed">
            Reactivating them later lets them log in with their password again; revoked tokens stay revoked.
          </Text>
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose} disabled={pending}>
              Cancel
            </Button>
            <Button color="red" loading={pending} onClick={() => onConfirm(user)}>
              Deactivate
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
