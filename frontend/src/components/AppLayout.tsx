import {
  ActionIcon,
  AppShell,
  Avatar,
  Badge,
  Burger,
  Button,
  Group,
  Menu,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Outlet, useNavigate } from 'react-router';

import { isApiError } from '@/api/errors';
import { useLogout } from '@/api/queries/auth';
import { LOGIN_PATH } from '@/lib/nextPath';

import { Brand } from './Brand';
import { ROLE_COLORS, ROLE_LABELS, useCurrentUser } from './currentUser';
import { IconChevronDown, IconKey, IconLogout } from './icons';
import { MainNav } from './MainNav';

function initials(fullName: string): string {
  const parts = fullName.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

export type AppLayoutProps = {
  /**
   * The dialog behind the account menu's "Change password" (the account feature's form, passed in
   * by router.tsx: shared components import no feature).
   */
  passwordDialog: (props: { opened: boolean; onClose: () => void }) => ReactNode;
};

export function AppLayout({ passwordDialog }: AppLayoutProps) {
  const user = useCurrentUser();
  const [navOpened, nav] = useDisclosure(false);
  const [passwordOpened, passwordModal] = useDisclosure(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const logout = useLogout();

  const leave = async () => {
    await navigate(LOGIN_PATH, { replace: true });
    queryClient.clear();
  };

  const onLogout = () => {
    logout.mutate(undefined, {
      onSuccess: () => void leave(),
      onError: (error) => {
        // No session left on the server: the user is logged out anyway.
        if (isApiError(error) && error.status === 401) {
          void leave();
          return;
        }
        notifications.show({ color: 'red', title: 'Could not log out', message: error.message });
      },
    });
  };

  return (
    <AppShell
      header={{ height: 64 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Brand compact />
          </Group>
          <Group gap="md" wrap="nowrap" data-testid="current-user">
            <Menu position="bottom-end" width={240} withinPortal>
              <Menu.Target>
                <UnstyledButton aria-label="Account menu" data-testid="account-menu" style={{ borderRadius: 8 }}>
                  <Group gap="sm" wrap="nowrap">
                    <Avatar color={ROLE_COLORS[user.role]} radius="xl" size="md">
                      {initials(user.full_name)}
                    </Avatar>
                    <Stack gap={0} visibleFrom="xs">
                      <Text size="sm" fw={600} lh={1.3}>
                        {user.full_name}
                      </Text>
                      <Text size="xs" c="dimmed" lh={1.3}>
                        {user.email}
                      </Text>
                    </Stack>
                    <IconChevronDown size={14} />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{user.email}</Menu.Label>
                <Menu.Item leftSection={<IconKey size={16} />} onClick={passwordModal.open}>
                  Change password
                </Menu.Item>
                <Menu.Item leftSection={<IconLogout size={16} />} onClick={onLogout}>
                  Log out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
            <Badge
              color={ROLE_COLORS[user.role]}
              variant="light"
              style={{ flexShrink: 0 }}
              data-testid="current-user-role"
            >
              {ROLE_LABELS[user.role]}
            </Badge>
            <Button
              variant="default"
              leftSection={<IconLogout size={16} />}
              onClick={onLogout}
              loading={logout.isPending}
              visibleFrom="xs"
            >
              Log out
            </Button>
            <ActionIcon
              variant="default"
              size="lg"
              onClick={onLogout}
              loading={logout.isPending}
              aria-label="Log out"
              hiddenFrom="xs"
            >
              <IconLogout size={18} />
            </ActionIcon>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm">
        <MainNav role={user.role} onNavigate={nav.close} />
      </AppShell.Navbar>

      <AppShell.Main bg="gray.0">
        <Outlet />
      </AppShell.Main>

      {passwordDialog({ opened: passwordOpened, onClose: passwordModal.close })}
    </AppShell>
  );
}
