import {
  ActionIcon,
  Badge,
  Card,
  Group,
  Menu,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';

import type { Role, UserAdminOut } from '@/api/client';
import { IconDots, IconKey } from '@/components/icons';
import { SkeletonRows } from '@/components/SkeletonRows';
import { formatDateTime } from '@/lib/format';

import { ROLE_OPTIONS } from './roles';

const COLUMN_COUNT = 6;

type RowProps = {
  user: UserAdminOut;
  /** The admin looking: they can change neither their own role nor their own access here. */
  self: boolean;
  /** A change of this user is on its way to the server. */
  busy: boolean;
  onRoleChange: (user: UserAdminOut, role: Role) => void;
  onActiveChange: (user: UserAdminOut, active: boolean) => void;
  onResetPassword: (user: UserAdminOut) => void;
};

function NameCell({ user, self }: Pick<RowProps, 'user' | 'self'>) {
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" fw={500}>
        {user.full_name}
      </Text>
      {self && (
        <Badge size="xs" variant="outline" color="gray">
          You
        </Badge>
      )}
    </Group>
  );
}

function RoleSelect({ user, self, busy, onRoleChange }: Pick<RowProps, 'user' | 'self' | 'busy' | 'onRoleChange'>) {
  return (
    <Select
      aria-label={`Role of ${user.full_name}`}
      size="xs"
      w={130}
      data={ROLE_OPTIONS}
      value={user.role}
      allowDeselect={false}
      disabled={self || busy}
      onChange={(value) => {
        const role = ROLE_OPTIONS.find((o) => o.value === value)?.value;
        if (role !== undefined && role !== user.role) onRoleChange(user, role);
      }}
    />
  );
}

function AccessBadge({ user }: { user: UserAdminOut }) {
  return (
    <Badge variant="light" color={user.is_active ? 'green' : 'gray'}>
      {user.is_active ? 'Active' : 'Deactivated'}
    </Badge>
  );
}

function LastLogin({ user }: { user: UserAdminOut }) {
  return (
    <Text size="sm" c={user.last_login_at === null ? 'dimmed' : undefined} style={{ whiteSpace: 'nowrap' }}>
      {user.last_login_at === null ? 'Never' : formatDateTime(user.last_login_at)}
    </Text>
  );
}

function ActionsMenu({
  user,
  self,
  busy,
  onActiveChange,
  onResetPassword,
}: Pick<RowProps, 'user' | 'self' | 'busy' | 'onActiveChange' | 'onResetPassword'>) {
  if (self) {
    return (
      <Tooltip label="Your own account: use Change password in your account menu">
        <ActionIcon variant="subtle" color="gray" disabled aria-label={`Actions for ${user.full_name}`}>
          <IconDots size={18} />
        </ActionIcon>
      </Tooltip>
    );
  }
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" loading={busy} aria-label={`Actions for ${user.full_name}`}>
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconKey size={16} />} onClick={() => onResetPassword(user)}>
          Reset password
        </Menu.Item>
        {user.is_active ? (
          <Menu.Item color="red" onClick={() => onActiveChange(user, false)}>
            Deactivate
          </Menu.Item>
        ) : (
          <Menu.Item onClick={() => onActiveChange(user, true)}>Reactivate</Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

/** One card per user, for narrow screens where six columns do not fit. */
function UserCard(props: RowProps) {
  const { user } = props;
  return (
    <Card withBorder radius="md" padding="sm" data-testid={`user-row-${user.email}`}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <NameCell user={user} self={props.self} />
          <Text size="xs" c="dimmed" truncate>
            {user.email}
          </Text>
        </Stack>
        <ActionsMenu {...props} />
      </Group>
      <Group justify="space-between" mt="sm" gap="xs">
        <RoleSelect {...props} />
        <AccessBadge user={user} />
      </Group>
      <Group gap={6} mt="xs">
        <Text size="xs" c="dimmed">
          Last login
        </Text>
        <LastLogin user={user} />
      </Group>
    </Card>
  );
}

export function UsersTable({
  users,
  loading,
  currentUserId,
  busyUserId,
  onRoleChange,
  onActiveChange,
  onResetPassword,
}: {
  users: UserAdminOut[];
  loading: boolean;
  currentUserId: number;
  /** A user whose change is on its way to the server. */
  busyUserId: number | null;
  onRoleChange: (user: UserAdminOut, role: Role) => void;
  onActiveChange: (user: UserAdminOut, active: boolean) => void;
  onResetPassword: (user: UserAdminOut) => void;
}) {
  // Mantine's `sm` breakpoint (48em), read at once so a wide screen never flashes the cards.
  const wide = useMediaQuery('(min-width: 48em)', true, { getInitialValueInEffect: false });
  const rowProps = (user: UserAdminOut): RowProps => ({
    user,
    self: user.id === currentUserId,
    busy: busyUserId === user.id,
    onRoleChange,
    onActiveChange,
    onResetPassword,
  });

  if (!wide) {
    return (
      <Stack gap="sm" aria-label="Users" aria-busy={loading} role="list">
        {loading
          ? Array.from({ length: 3 }, (_, i) => <Skeleton key={i} height={110} radius="md" />)
          : users.map((user) => (
              <div role="listitem" key={user.id}>
                <UserCard {...rowProps(user)} />
              </div>
            ))}
      </Stack>
    );
  }

  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label="Users" aria-busy={loading}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th w={150}>Role</Table.Th>
            <Table.Th>Access</Table.Th>
            <Table.Th>Last login</Table.Th>
            <Table.Th w={56}>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {loading ? (
            <SkeletonRows columns={COLUMN_COUNT} />
          ) : (
            users.map((user) => {
              const props = rowProps(user);
              return (
                <Table.Tr key={user.id} data-testid={`user-row-${user.email}`}>
                  <Table.Td>
                    <NameCell user={user} self={props.self} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" truncate maw={280}>
                      {user.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <RoleSelect {...props} />
                  </Table.Td>
                  <Table.Td>
                    <AccessBadge user={user} />
                  </Table.Td>
                  <Table.Td>
                    <LastLogin user={user} />
                  </Table.Td>
                  <Table.Td>
                    <ActionsMenu {...props} />
                  </Table.Td>
                </Table.Tr>
              );
            })
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
