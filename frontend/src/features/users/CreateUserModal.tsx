import { Alert, Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { SubmitEvent } from 'react';

import type { Role, UserAdminOut } from '@/api/client';
import { formErrorsFromApi } from '@/api/formErrors';
import { useCreateUser } from '@/api/queries/users';
import { NewPasswordFields } from '@/components/NewPasswordFields';
import { confirmationError, newPasswordError } from '@/lib/passwordRules';

import { ROLE_HINTS, ROLE_OPTIONS } from './roles';

type Values = { email: string; full_name: string; role: Role; password: string; confirmation: string };
type Errors = Partial<Record<keyof Values, string>>;

const API_FIELDS = ['email', 'full_name', 'role', 'password'] as const;
const EMPTY: Values = { email: '', full_name: '', role: 'viewer', password: '', confirmation: '' };
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validate(values: Values): Errors {
  const email = values.email.trim();
  const name = values.full_name.trim();
  return {
    email: email === '' ? 'Enter an email address' : !EMAIL_RE.test(email) ? 'Enter a valid email address' : undefined,
    full_name: name === '' ? 'Enter a name' : name.length > 200 ? 'At most 200 characters' : undefined,
    password: newPasswordError(values.password),
    confirmation: confirmationError(values.password, values.confirmation),
  };
}

function CreateUserForm({ onDone, onCancel }: { onDone: (user: UserAdminOut) => void; onCancel: () => void }) {
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [formMessage, setFormMessage] = useState<string | null>(null);
  const create = useCreateUser();

  const set = <K extends keyof Values>(field: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validate(values);
    setErrors(found);
    setFormMessage(null);
    if (Object.values(found).some(Boolean)) return;
    create.mutate(
      { email: values.email.trim(), full_name: values.full_name.trim(), role: values.role, password: values.password },
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
    <form onSubmit={onSubmit} noValidate aria-label="New user">
      <Stack gap="sm">
        {formMessage !== null && (
          <Alert color="red" variant="light" role="alert" title="Not created">
            {formMessage}
          </Alert>
        )}
        <TextInput
          label="Full name"
          required
          value={values.full_name}
          onChange={(e) => set('full_name', e.currentTarget.value)}
          error={errors.full_name}
          data-autofocus
        />
        <TextInput
          label="Email"
          type="email"
          autoComplete="off"
          required
          value={values.email}
          onChange={(e) => set('email', e.currentTarget.value)}
          error={errors.email}
        />
        <Select
          label="Role"
          data={ROLE_OPTIONS}
          value={values.role}
          description={ROLE_HINTS[values.role]}
          allowDeselect={false}
          onChange={(value) => {
            const role = ROLE_OPTIONS.find((o) => o.value === value)?.value;
            if (role !== undefined) set('role', role);
          }}
          error={errors.role}
        />
        <NewPasswordFields
          label="Password"
          confirmLabel="Confirm password"
          password={values.password}
          confirmation={values.confirmation}
          errors={errors}
          onChange={set}
        />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create user
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="New user" closeButtonProps={{ 'aria-label': 'Close new user' }}>
      {opened && (
        <CreateUserForm
          onCancel={onClose}
          onDone={(user) => {
            notifications.show({ color: 'green', message: `${user.full_name} can now log in as ${user.email}.` });
            onClose();
          }}
        />
      )}
    </Modal>
  );
}
