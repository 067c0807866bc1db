import {
  Anchor,
  Badge,
  Card,
  Grid,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { Link } from 'react-router';

import type { UserOut } from '@/api/client';
import { useHealth } from '@/api/queries/health';
import { ROLE_COLORS, ROLE_LABELS, useCurrentUser } from '@/components/currentUser';
import { isAvailable, pagesFor } from '@/navigation';
import type { AppPage } from '@/navigation';

const ROLE_SUMMARY: Record<UserOut['role'], string> = {
  admin: 'You can see and change everything, including users and settings.',
  marketer: 'You can work with customers, build segments and run email flows.',
  viewer: 'You can look at customers, orders, segments and reports, without changing them.',
};

function AreaCard({ page }: { page: AppPage }) {
  const Icon = page.icon;
  const available = isAvailable(page);
  return (
    <Card withBorder radius="md" padding="md" h="100%" data-testid={`area-${page.path.slice(1)}`}>
      <Group justify="space-between" align="flex-start" mb="xs" wrap="nowrap">
        <ThemeIcon variant="light" size="lg" radius="md" color={available ? 'blue' : 'gray'}>
          {Icon ? <Icon size={20} /> : null}
        </ThemeIcon>
        {available ? (
          <Badge variant="light" color="green">
            Ready
          </Badge>
        ) : (
          <Badge variant="light" color="gray">
            Coming soon
          </Badge>
        )}
      </Group>
      <Text fw={600}>
        {available ? (
          <Anchor component={Link} to={page.path} inherit>
            {page.label}
          </Anchor>
        ) : (
          page.label
        )}
      </Text>
      <Text size="sm" c="dimmed" mt={4}>
        {page.description}
      </Text>
    </Card>
  );
}

function StatusRow({ label, ok, text }: { label: string; ok: boolean | null; text: string }) {
  const color = ok === null ? 'gray' : ok ? 'green' : 'red';
  return (
    <Group justify="space-between">
      <Text size="sm">{label}</Text>
      <Badge color={color} variant="dot">
        {text}
      </Badge>
    </Group>
  );
}

function SystemStatus() {
  const health = useHealth();
  const api =
    health.data !== undefined
      ? { ok: true, text: 'Online' }
      : health.isError
        ? { ok: false, text: 'Unreachable' }
        : { ok: null, text: 'Checking…' };
  const db =
    health.data !== undefined
      ? health.data.database === 'ok'
        ? { ok: true, text: 'Connected' }
        : { ok: false, text: 'Unavailable' }
      : { ok: null, text: health.isError ? 'Unknown' : 'Checking…' };
  return (
    <Paper withBorder radius="md" p="md">
      <Text fw={600} mb="sm">
        System status
      </Text>
      <Stack gap="xs">
        <StatusRow label="API" ok={api.ok} text={api.text} />
        <StatusRow label="Database" ok={db.ok} text={db.text} />
      </Stack>
    </Paper>
  );
}

export default function HomePage() {
  const user = useCurrentUser();
  const firstName = user.full_name.trim().split(/\s+/)[0] ?? user.full_name;
  const pages = pagesFor(user.role);
  const ready = pages.filter(isAvailable).length;

  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={1} size="h2">
          Welcome, {firstName}
        </Title>
        <Text c="dimmed" mt={4}>
          Signed in as <b>{user.full_name}</b> ({user.email}).
        </Text>
      </div>

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper withBorder radius="md" p="lg">
            <Group justify="space-between" mb="xs">
              <Text fw={600}>Your workspace</Text>
              <Text size="sm" c="dimmed">
                {ready} of {pages.length} areas ready
              </Text>
            </Group>
            <Text size="sm" c="dimmed" mb="md">
              ShopCRM is growing feature by feature. Each area below appears in the menu on the left
              as soon as it lands.
            </Text>
            <SimpleGrid cols={{ base: 1, xs: 2, lg: 3 }} spacing="md">
              {pages.map((page) => (
                <AreaCard key={page.path} page={page} />
              ))}
            </SimpleGrid>
          </Paper>
        </Grid.Col>

        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg">
            <Paper withBorder radius="md" p="md">
              <Group justify="space-between" mb="xs">
                <Text fw={600}>Your access</Text>
                <Badge color={ROLE_COLORS[user.role]} variant="light">
                  {ROLE_LABELS[user.role]}
                </Badge>
              </Group>
              <Text size="sm" c="dimmed">
                {ROLE_SUMMARY[user.role]}
              </Text>
            </Paper>
            <SystemStatus />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
