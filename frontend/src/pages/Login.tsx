import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import { useNavigate, useSearchParams } from 'react-router';

import { Brand } from '@/components/Brand';
import { LoginForm } from '@/features/auth/LoginForm';
import { safeNextPath } from '@/lib/nextPath';

export default function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Stack w="100%" maw={400} gap="lg">
        <Center>
          <Brand size="xl" />
        </Center>
        <Paper withBorder shadow="sm" radius="md" p="xl">
          <Stack gap={4} mb="lg">
            <Title order={1} size="h3">
              Log in
            </Title>
            <Text size="sm" c="dimmed">
              Customers, segments and email flows for your store.
            </Text>
          </Stack>
          <LoginForm onSuccess={() => void navigate(next, { replace: true })} />
        </Paper>
      </Stack>
    </Center>
  );
}
