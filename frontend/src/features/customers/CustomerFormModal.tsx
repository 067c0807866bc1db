import { Alert, Button, Checkbox, Group, Modal, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useContext, useState } from 'react';
import type { SubmitEvent } from 'react';

import type { CustomerOut } from '@/api/client';
import { isApiError } from '@/api/errors';
import { formErrorsFromApi } from '@/api/formErrors';
import { useCreateCustomer, useUpdateCustomer } from '@/api/queries/customers';
import { useLiftSuppression } from '@/api/queries/privacy';
import { CurrentUserContext } from '@/components/currentUser';
import { humanize } from '@/lib/format';

import { CUSTOMER_STATUSES } from './listState';
import {
  CUSTOMER_FORM_FIELDS,
  customerToFormValues,
  EMPTY_CUSTOMER,
  toCustomerBody,
  validateCustomer,
} from './validation';
import type { CustomerFormErrors, CustomerFormValues } from './validation';

function CustomerForm({
  customer,
  onDone,
  onCancel,
}: {
  customer: CustomerOut | null;
  onDone: (saved: CustomerOut) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<CustomerFormValues>(
    customer === null ? EMPTY_CUSTOMER : customerToFormValues(customer),
  );
  const [errors, setErrors] = useState<CustomerFormErrors>({});
  const [formMessage, setFormMessage] = useState<string | null>(null);
  // The email (as typed) of an erased person the server refused: an admin may lift that, nothing else.
  const [suppressed, setSuppressed] = useState<string | null>(null);
  const create = useCreateCustomer();
  const update = useUpdateCustomer();
  const lift = useLiftSuppression();
  const isAdmin = useContext(CurrentUserContext)?.role === 'admin';
  const pending = create.isPending || update.isPending || lift.isPending;

  const set = <K extends keyof CustomerFormValues>(field: K, value: CustomerFormValues[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const onError = (error: unknown) => {
    const mapped = formErrorsFromApi(error, CUSTOMER_FORM_FIELDS);
    setErrors(mapped.fields);
    setFormMessage(mapped.formMessage);
    setSuppressed(isSuppressedEmail(error) ? values.email : null);
  };

  const save = () => {
    const body = toCustomerBody(values);
    if (customer === null) create.mutate(body, { onSuccess: onDone, onError });
    else update.mutate({ id: customer.id, body }, { onSuccess: onDone, onError });
  };

  const liftAndSave = () => {
    if (suppressed === null) return;
    lift.mutate(
      { email: suppressed },
      {
        onSuccess: () => {
          setSuppressed(null);
          setErrors((e) => ({ ...e, email: undefined }));
          save();
        },
        onError: (error) => {
          setFormMessage(error.message);
        },
      },
    );
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateCustomer(values);
    setErrors(found);
    setFormMessage(null);
    if (Object.values(found).some(Boolean)) return;
    save();
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label={customer === null ? 'New customer' : 'Edit customer'}>
      <Stack gap="sm">
        {formMessage !== null && (
          <Alert color="red" variant="light" role="alert" title="Not saved">
            {formMessage}
          </Alert>
        )}
        {suppressed !== null && suppressed === values.email && (
          <Alert color="yellow" variant="light" title="This person asked to be erased">
            {isAdmin ? (
              <Stack gap="xs" align="flex-start">
                <span>
                  Their data was erased at their request, and their email may not be stored again. Lift that only if
                  they have asked to be a customer again; the lifting is written to the audit log.
                </span>
                <Button size="xs" color="yellow" variant="outline" onClick={liftAndSave} loading={lift.isPending}>
                  They asked to come back: lift and save
                </Button>
              </Stack>
            ) : (
              'Their data was erased at their request. Only an admin can let this email be stored again, if they ask to come back.'
            )}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput
            label="First name"
            required
            value={values.first_name}
            onChange={(e) => set('first_name', e.currentTarget.value)}
            error={errors.first_name}
            data-autofocus
          />
          <TextInput
            label="Last name"
            required
            value={values.last_name}
            onChange={(e) => set('last_name', e.currentTarget.value)}
            error={errors.last_name}
          />
        </SimpleGrid>
        <TextInput
          label="Email"
          type="email"
          required
          value={values.email}
          onChange={(e) => set('email', e.currentTarget.value)}
          error={errors.email}
        />
        <TextInput
          label="Phone"
          type="tel"
          description="International format, e.g. +4915123456789"
          value={values.phone}
          onChange={(e) => set('phone', e.currentTarget.value)}
          error={errors.phone}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput
            label="City"
            value={values.city}
            onChange={(e) => set('city', e.currentTarget.value)}
            error={errors.city}
          />
          <TextInput
            label="Country"
            description="Two-letter code, e.g. DE"
            maxLength={2}
            value={values.country}
            onChange={(e) => set('country', e.currentTarget.value.toUpperCase())}
            error={errors.country}
          />
        </SimpleGrid>
        <Select
          label="Status"
          data={CUSTOMER_STATUSES.map((s) => ({ value: s, label: humanize(s) }))}
          value={values.status}
          onChange={(v) => {
            if (v !== null) set('status', v);
          }}
          allowDeselect={false}
          error={errors.status}
        />
        <Checkbox
          label="Agreed to receive marketing email"
          checked={values.email_consent}
          onChange={(e) => set('email_consent', e.currentTarget.checked)}
          error={errors.email_consent}
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            {customer === null ? 'Create customer' : 'Save changes'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function isSuppressedEmail(error: unknown): boolean {
  if (!isApiError(error) || error.status !== 409 || !Array.isArray(error.details)) return false;
  return error.details.some(
    (d: unknown) => typeof d === 'object' && d !== null && 'type' in d && d.type === 'suppressed',
  );
}

/** Create (customer = null) or edit a customer in a modal. */
export function CustomerFormModal({
  opened,
  customer,
  onClose,
  onSaved,
}: {
  opened: boolean;
  customer: CustomerOut | null;
  onClose: () => void;
  onSaved?: (saved: CustomerOut) => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={customer === null ? 'New customer' : `Edit ${customer.first_name} ${customer.last_name}`}
      size="lg"
    >
      {opened && (
        <CustomerForm
          key={customer?.id ?? 'new'}
          customer={customer}
          onCancel={onClose}
          onDone={(saved) => {
            notifications.show({
              color: 'green',
              message: `${saved.first_name} ${saved.last_name} ${customer === null ? 'created' : 'saved'}.`,
            });
            onSaved?.(saved);
            onClose();
          }}
        />
      )}
    </Modal>
  );
}
