import { Alert, Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { SubmitEvent } from 'react';

import type { UserAdminOut } from '@/api/client';
import { formErrorsFromApi } from '@/api/formErrors';
import { useResetPassword } from '@/api/queries/users';
import { NewPasswordFields } from '@/components/NewPasswordFields';
import { confirmationError, newPasswordError } from '@/lib/passwordRules';

type Values = { new_password: string; confirmation: string; revoke_tokens: boolean };
type Errors = Partial<Record<'new_password' | 'confirmation', string>>;

const API_FIELDS = ['new_password'] as const;

function ResetPasswordForm({
  user,
  onDone,
  onCancel,
}: {
  user: UserAdminOut;
  onDone: (revokedTokens: boolean) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<Values>({ new_password: '', confirmation: '', revoke_tokens: false });
  const [errors, setErrors] = useState<Errors>({});
  const [formMessage, setFormMessage] = useState<string | null>(null);
  const reset = useResetPassword();

  const set = (field: 'new_password' | 'confirmation', value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Errors = {
      new_password: newPasswordError(values.new_password),
      confirmation: confirmationError(values.new_password, values.confirmation),
    };
    setErrors(found);
    setFormMessage(null);
    if (Object.values(found).some(Boolean)) return;
    reset.mutate(
      { id: user.id, body: { new_password: values.new_password, revoke_tokens: values.revoke_tokens } },
      {
        onSuccess: () => onDone(values.revoke_tokens),
        onError: (error) => {
          const mapped = formErrorsFromApi(error, API_FIELDS);
          setErrors(mapped.fields);
          setFormMessage(mapped.formMessage);
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Reset password">
      <Stack gap="sm">
        <Text size="sm">
          Sets a new password for <b>{user.full_name}</b> ({user.email}) and logs them out everywhere. Tell
          them the new password another way than email.
        </Text>
        {formMessage !== null && (
          <Alert color="red" variant="light" role="alert" title="Password not reset">
            {formMessage}
          </Alert>
        )}
        <NewPasswordFields
          password={values.new_password}
          confirmation={values.confirmation}
          errors={{ password: errors.new_password, confirmation: errors.confirmation }}
          onChange={(field, value) => set(field === 'password' ? 'new_password' : field, value)}
          autoFocus
        />
        <Checkbox
          label="Also revoke their API tokens"
          description="When the account may be in someone else's hands."
          checked={values.revoke_tokens}
          onChange={(e) => {
            const checked = e.currentTarget.checked;
            setValues((v) => ({ ...v, revoke_tokens: checked }));
          }}
        />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel} disabled={reset.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={reset.isPending}>
            Reset password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** An admin sets another user's password (the user is logged out everywhere). */
export function ResetPasswordModal({ user, onClose }: { user: UserAdminOut | null; onClose: () => void }) {
  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      title="Reset password"
      closeButtonProps={{ 'aria-label': 'Close reset password' }}
    >
      {user !== null && (
        <ResetPasswordForm
          key={user.id}
          user={user}
          onCancel={onClose}
          onDone={(revokedTokens) => {
            notifications.show({
              color: 'green',
              message: `Password of ${user.full_name} reset; they were logged out${revokedTokens ? ' and their API tokens revoked' : ''}.`,
            });
            onClose();
          }}
        />
      )}
    </Modal>
  );
}
