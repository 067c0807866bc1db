import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';

import { theme } from '@/theme';

import type { FieldSpec } from './fields';
import { RuleValueInput } from './RuleValueInput';
import { BOUGHT_CATEGORY, COUNTRY, LAST_ORDER, ORDERS_IN_LAST_DAYS, TOTAL_SPEND } from './testFields';

/** The editor with its value held in state, reporting every change. */
function Harness({ field, operator, initial, onValue }: { field: FieldSpec; operator: string; initial: unknown; onValue: (v: unknown) => void }) {
  const [value, setValue] = useState<unknown>(initial);
  return (
    <RuleValueInput
      field={field}
      operator={operator}
      value={value}
      onChange={(v) => {
        setValue(v);
        onValue(v);
      }}
    />
  );
}

function renderEditor(field: FieldSpec, operator: string, initial: unknown) {
  const onValue = vi.fn();
  render(
    <MantineProvider theme={theme} env="test">
      <Harness field={field} operator={operator} initial={initial} onValue={onValue} />
    </MantineProvider>,
  );
  return onValue;
}

// Mantine inputs typed into key by key: slow on a busy two-core machine.
describe('RuleValueInput', { timeout: 20_000 }, () => {
  it('types money as a number', async () => {
    const onValue = renderEditor(TOTAL_SPEND, '>=', '');
    await userEvent.type(screen.getByRole('textbox', { name: 'Lifetime spend value' }), '500');
    expect(onValue).toHaveBeenLastCalledWith(500);
  });

  it('gives a range two inputs and keeps the value a pair', async () => {
    const onValue = renderEditor(TOTAL_SPEND, 'between', ['', '']);
    await userEvent.type(screen.getByRole('textbox', { name: 'Lifetime spend from' }), '100');
    await userEvent.type(screen.getByRole('textbox', { name: 'Lifetime spend to' }), '200');
    expect(onValue).toHaveBeenLastCalledWith([100, 200]);
  });

  it('shows nothing for "is empty"', () => {
    renderEditor(COUNTRY, 'null', '');
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
  });

  it('picks several values from the catalog for "is any of", as an array', async () => {
    const onValue = renderEditor(COUNTRY, 'in', []);
    await userEvent.click(screen.getByRole('combobox', { name: 'Country values' }));
    await userEvent.click(await screen.findByRole('option', { name: 'FR' }));
    expect(onValue).toHaveBeenLastCalledWith(['FR']);
  });

  it('carries a window with a windowed value: {days, value}', async () => {
    const onValue = renderEditor(ORDERS_IN_LAST_DAYS, '>=', { days: 90, value: '' });
    await userEvent.type(screen.getByRole('textbox', { name: 'Orders in the last N days value' }), '3');
    expect(onValue).toHaveBeenLastCalledWith({ days: 90, value: 3 });
    const days = screen.getByRole('textbox', { name: 'Orders in the last N days window' });
    await userEvent.clear(days);
    await userEvent.type(days, '30');
    expect(onValue).toHaveBeenLastCalledWith({ days: 30, value: 3 });
  });

  it('lets an optional window be switched on and off', async () => {
    const onValue = renderEditor(BOUGHT_CATEGORY, '=', 'Shoes');
    expect(screen.queryByRole('textbox', { name: 'Bought in category window' })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('combobox', { name: 'Bought in category when' }));
    await userEvent.click(await screen.findByRole('option', { name: 'in the last' }));
    expect(onValue).toHaveBeenLastCalledWith({ days: 90, value: 'Shoes' });
    expect(screen.getByRole('textbox', { name: 'Bought in category window' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('combobox', { name: 'Bought in category when' }));
    await userEvent.click(await screen.findByRole('option', { name: 'ever' }));
    expect(onValue).toHaveBeenLastCalledWith('Shoes');
  });

  it('asks for a number of days for "in the last"', async () => {
    const onValue = renderEditor(LAST_ORDER, 'inLastDays', '');
    await userEvent.type(screen.getByRole('textbox', { name: 'Last order days' }), '30');
    expect(onValue).toHaveBeenLastCalledWith(30);
  });

  it('takes a date as YYYY-MM-DD', async () => {
    const onValue = renderEditor(LAST_ORDER, '<', '');
    const input = screen.getByRole('textbox', { name: 'Last order value' });
    await userEvent.type(input, '2026-03-01');
    await userEvent.tab();
    expect(onValue).toHaveBeenLastCalledWith('2026-03-01');
  });
});
