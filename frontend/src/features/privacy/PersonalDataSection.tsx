import { Alert, Button, Group, List, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';

import type { CustomerOut } from '@/api/client';
import { personalDataHref, useEraseCustomer } from '@/api/queries/privacy';

/** Emails compare as the server does: trimmed, case aside. */
function sameEmail(typed: string, email: string): boolean {
  return typed.trim().toLowerCase() === email.trim().toLowerCase();
}

/**
 * An admin's answers to a customer's GDPR request: their data as one JSON file (article 15), and its
 * erasure (article 17), confirmed by typing the customer's email, with what is kept and what is
 * destroyed said before anything happens.
 */
export function PersonalDataSection({ customer }: { customer: CustomerOut }) {
  const [confirming, setConfirming] = useState(false);
  const erased = customer.erased_at !== null;
  return (
    <section aria-labelledby="personal-data-title">
      <Title order={3} size="h4" id="personal-data-title" mb="xs">
        Personal data
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {erased
          ? 'This customer’s identifying data was erased at their request. Their orders remain as anonymous figures.'
          : 'For a customer’s request to see or erase their data. Both are recorded in the audit log.'}
      </Text>
      <Group gap="sm">
        <Button component="a" href={personalDataHref(customer.id)} download variant="default" size="xs">
          Download personal data
        </Button>
        {!erased && (
          <Button color="red" variant="light" size="xs" onClick={() => setConfirming(true)}>
            Erase personal data
          </Button>
        )}
      </Group>
      {!erased && <EraseModal customer={customer} opened={confirming} onClose={() => setConfirming(false)} />}
    </section>
  );
}

function EraseModal({ customer, opened, onClose }: { customer: CustomerOut; opened: boolean; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const erase = useEraseCustomer();
  const matches = sameEmail(typed, customer.email);
  const close = () => {
    setTyped('');
    erase.reset();
    onClose();
  };
  const submit = () => {
    if (!matches) return;
    erase.mutate(
      { id: customer.id, confirm: typed },
      {
        onSuccess: (result) => {
          notifications.show({
            color: 'green',
            message: `Personal data erased; ${String(result.orders_anonymised)} orders kept as anonymous figures.`,
          });
          close();
        },
      },
    );
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={`Erase ${customer.first_name} ${customer.last_name}’s personal data?`}
      closeButtonProps={{ 'aria-label': 'Close without erasing' }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm" fw={600}>
            Destroyed for good (it cannot be undone or recovered):
          </Text>
          <List size="sm" spacing={4}>
            <List.Item>name, email, phone and city;</List.Item>
            <List.Item>the shipping name and address on every one of their orders;</List.Item>
            <List.Item>their email consent (set to no).</List.Item>
          </List>
          <Text size="sm" fw={600}>
            Kept, as anonymous data:
          </Text>
          <List size="sm" spacing={4}>
            <List.Item>their orders, items, amounts and statuses, so sales, stock and the dashboard stay true;</List.Item>
            <List.Item>the country, and the record itself (shown as “Erased customer”, archived);</List.Item>
            <List.Item>a one-way hash of the email, so an import cannot bring the person back.</List.Item>
          </List>
          <TextInput
            label="Type the customer’s email to confirm"
            description={customer.email}
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
            autoComplete="off"
            data-autofocus
            error={erase.error?.status === 422 ? erase.error.message : undefined}
          />
          {erase.isError && erase.error.status !== 422 && (
            <Alert color="red" title="Could not erase">
              {erase.error.message}
            </Alert>
          )}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close} disabled={erase.isPending}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={!matches} loading={erase.isPending}>
              Erase for good
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
