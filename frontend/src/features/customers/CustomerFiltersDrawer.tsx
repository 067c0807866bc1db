import {
  Button,
  Checkbox,
  Drawer,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import type { SubmitEvent } from 'react';

import { humanize } from '@/lib/format';

import { CUSTOMER_STATUSES, EMPTY_FILTERS, TIERS, validateFilters } from './listState';
import type { CustomerFilters, FilterErrors } from './listState';

/** Suggestions for the country box (any ISO-2 code can be typed). */
const COUNTRY_SUGGESTIONS = ['AU', 'CA', 'DE', 'ES', 'FR', 'GB', 'IE', 'IT', 'NL', 'NZ', 'SE', 'US'];

function numberOrUndefined(value: string | number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function dateOrUndefined(value: string): string | undefined {
  return value === '' ? undefined : value;
}

function FiltersForm({ initial, onApply }: { initial: CustomerFilters; onApply: (filters: CustomerFilters) => void }) {
  const [draft, setDraft] = useState<CustomerFilters>(initial);
  const [errors, setErrors] = useState<FilterErrors>({});

  const set = <K extends keyof CustomerFilters>(key: K, value: CustomerFilters[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setErrors({});
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateFilters(draft);
    setErrors(found);
    if (Object.keys(found).length === 0) onApply(draft);
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Customer filters">
      <Stack gap="md">
        <Checkbox.Group
          label="Status"
          value={draft.status}
          onChange={(value) => set('status', value)}
        >
          <Group gap="md" mt={6}>
            {CUSTOMER_STATUSES.map((s, i) => (
              // The drawer opens on its first filter, not on its close button.
              <Checkbox key={s} value={s} label={humanize(s)} data-autofocus={i === 0 ? true : undefined} />
            ))}
          </Group>
        </Checkbox.Group>

        <Checkbox.Group label="Tier" value={draft.tier} onChange={(value) => set('tier', value)}>
          <Group gap="md" mt={6}>
            {TIERS.map((t) => (
              <Checkbox key={t} value={t} label={humanize(t)} />
            ))}
          </Group>
        </Checkbox.Group>

        <SimpleGrid cols={2} spacing="sm">
          <NumberInput
            label="Minimum spend (USD)"
            min={0}
            decimalScale={2}
            value={draft.spendMin ?? ''}
            onChange={(v) => set('spendMin', numberOrUndefined(v))}
            error={errors.spendMin}
          />
          <NumberInput
            label="Maximum spend (USD)"
            min={0}
            decimalScale={2}
            value={draft.spendMax ?? ''}
            onChange={(v) => set('spendMax', numberOrUndefined(v))}
            error={errors.spendMax}
          />
          <NumberInput
            label="Minimum orders"
            min={0}
            allowDecimal={false}
            value={draft.ordersMin ?? ''}
            onChange={(v) => set('ordersMin', numberOrUndefined(v))}
            error={errors.ordersMin}
          />
          <NumberInput
            label="Maximum orders"
            min={0}
            allowDecimal={false}
            value={draft.ordersMax ?? ''}
            onChange={(v) => set('ordersMax', numberOrUndefined(v))}
            error={errors.ordersMax}
          />
          <TextInput
            type="date"
            label="Created from"
            value={draft.createdFrom ?? ''}
            onChange={(e) => set('createdFrom', dateOrUndefined(e.currentTarget.value))}
            error={errors.createdFrom}
          />
          <TextInput
            type="date"
            label="Created to"
            value={draft.createdTo ?? ''}
            onChange={(e) => set('createdTo', dateOrUndefined(e.currentTarget.value))}
            error={errors.createdTo}
          />
          <TextInput
            type="date"
            label="Last order from"
            value={draft.lastOrderFrom ?? ''}
            onChange={(e) => set('lastOrderFrom', dateOrUndefined(e.currentTarget.value))}
            error={errors.lastOrderFrom}
          />
          <TextInput
            type="date"
            label="Last order to"
            value={draft.lastOrderTo ?? ''}
            onChange={(e) => set('lastOrderTo', dateOrUndefined(e.currentTarget.value))}
            error={errors.lastOrderTo}
          />
        </SimpleGrid>

        <TagsInput
          label="Countries"
          description="Two-letter codes, e.g. DE"
          data={COUNTRY_SUGGESTIONS}
          value={draft.country}
          onChange={(value) => set('country', value.map((c) => c.trim().toUpperCase()))}
          error={errors.country}
          clearable
        />

        <Select
          label="Email consent"
          data={[
            { value: 'any', label: 'Any' },
            { value: 'yes', label: 'Consented' },
            { value: 'no', label: 'Not consented' },
          ]}
          value={draft.emailConsent === undefined ? 'any' : draft.emailConsent ? 'yes' : 'no'}
          onChange={(v) => set('emailConsent', v === 'yes' ? true : v === 'no' ? false : undefined)}
          allowDeselect={false}
        />

        <Group justify="space-between" mt="sm">
          <Button variant="subtle" onClick={() => setDraft(EMPTY_FILTERS)}>
            Reset
          </Button>
          <Button type="submit">Apply filters</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The customers filters, edited as a draft in a drawer and applied together. */
export function CustomerFiltersDrawer({
  opened,
  onClose,
  value,
  onApply,
}: {
  opened: boolean;
  onClose: () => void;
  value: CustomerFilters;
  onApply: (filters: CustomerFilters) => void;
}) {
  return (
    <Drawer opened={opened} onClose={onClose} title="Filter customers" position="right" size="md">
      {opened && <FiltersForm initial={value} onApply={onApply} />}
    </Drawer>
  );
}
