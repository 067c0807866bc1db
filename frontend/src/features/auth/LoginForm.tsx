import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { SubmitEvent } from 'react';

import type { LoginIn, UserOut } from '@/api/client';
import type { ApiError } from '@/api/errors';
import { useLogin } from '@/api/queries/auth';

import { validateLogin } from './validation';
import type { LoginErrors } from './validation';

function describeError(error: ApiError): { title: string; message: string } {
  if (error.status === 429) {
    const wait =
      error.retryAfter !== null
        ? ` Try again in ${String(error.retryAfter)} second${error.retryAfter === 1 ? '' : 's'}.`
        : ' Try again later.';
    return { title: 'Too many attempts', message: error.message + wait };
  }
  if (error.status === 401) return { title: 'Login failed', message: error.message };
  return { title: 'Could not log in', message: error.message };
}

export function LoginForm({ onSuccess }: { onSuccess: (user: UserOut) => void }) {
  const [values, setValues] = useState<LoginIn>({ email: '', password: '' });
  const [errors, setErrors] = useState<LoginErrors>({});
  const login = useLogin();

  const setField = (field: keyof LoginIn, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateLogin(values);
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    login.mutate(
      { email: values.email.trim(), password: values.password },
      { onSuccess: (data) => onSuccess(data.user) },
    );
  };

  const failure = login.error ? describeError(login.error) : null;

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Log in">
      <Stack gap="md">
        {failure && (
          <Alert color="red" variant="light" title={failure.title} role="alert">
            {failure.message}
          </Alert>
        )}
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          placeholder="you@store.com"
          value={values.email}
          onChange={(e) => setField('email', e.currentTarget.value)}
          error={errors.email}
          required
          autoFocus
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          value={values.password}
          onChange={(e) => setField('password', e.currentTarget.value)}
          error={errors.password}
          required
        />
        <Button type="submit" fullWidth loading={login.isPending} mt="xs">
          Log in
        </Button>
      </Stack>
    </form>
  );
}
