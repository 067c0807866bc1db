import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Link, useLocation } from 'react-router';

export default function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <Center mih="60vh">
      <Stack align="center" gap="sm">
        <Text fw={800} fz={64} c="gray.6" lh={1} aria-hidden>
          404
        </Text>
        <Title order={1} size="h2">
          Page not found
        </Title>
        <Text c="dimmed" ta="center">
          There is no page at <code>{pathname}</code>.
        </Text>
        <Button component={Link} to="/" mt="sm">
          Back to Home
        </Button>
      </Stack>
    </Center>
  );
}
