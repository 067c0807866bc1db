import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { SubmitEvent } from 'react';

import { formErrorsFromApi } from '@/api/formErrors';
import { useChangePassword } from '@/api/queries/auth';
import { NewPasswordFields } from '@/components/NewPasswordFields';
import { PasswordField } from '@/components/PasswordField';
import { confirmationError, newPasswordError } from '@/lib/passwordRules';

type Values = { current_password: string; new_password: string; confirmation: string };
type Errors = Partial<Record<keyof Values, string>>;

const API_FIELDS = ['current_password', 'new_password'] as const;
const EMPTY: Values = { current_password: '', new_password: '', confirmation: '' };

function validate(values: Values): Errors {
  return {
    current_password: values.current_password === '' ? 'Enter your current password' : undefined,
    new_password: newPasswordError(values.new_password),
    confirmation: confirmationError(values.new_password, values.confirmation),
  };
}

export function ChangePasswordForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [formMessage, setFormMessage] = useState<string | null>(null);
  const change = useChangePassword();

  const set = (field: keyof Values, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validate(values);
    setErrors(found);
    setFormMessage(null);
    if (Object.values(found).some(Boolean)) return;
    change.mutate(
      { current_password: values.current_password, new_password: values.new_password },
      {
        onSuccess: onDone,
        onError: (error) => {
          const mapped = formErrorsFromApi(error, API_FIELDS);
          setErrors(mapped.fields);
          setFormMessage(mapped.formMessage);
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Change password">
      <Stack gap="sm">
        {formMessage !== null && (
          <Alert color="red" variant="light" role="alert" title="Password not changed">
            {formMessage}
          </Alert>
        )}
        <PasswordField
          label="Current password"
          autoComplete="current-password"
          required
          value={values.current_password}
          onChange={(e) => set('current_password', e.currentTarget.value)}
          error={errors.current_password}
          data-autofocus
        />
        <NewPasswordFields
          password={values.new_password}
          confirmation={values.confirmation}
          errors={{ password: errors.new_password, confirmation: errors.confirmation }}
          onChange={(field, value) => set(field === 'password' ? 'new_password' : field, value)}
        />
        <Text size="xs" c="dimmed">
          You stay logged in here; your other browser sessions are logged out. API tokens keep working.
        </Text>
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel} disabled={change.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={change.isPending}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The logged-in user's own password: current, new, confirmation. */
export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Change password" closeButtonProps={{ 'aria-label': 'Close change password' }}>
      {opened && (
        <ChangePasswordForm
          onCancel={onClose}
          onDone={() => {
            notifications.show({
              color: 'green',
              message: 'Password changed. Your other sessions were logged out.',
            });
            onClose();
          }}
        />
      )}
    </Modal>
  );
}
