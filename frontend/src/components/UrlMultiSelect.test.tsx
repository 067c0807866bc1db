import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';

import { renderWithProviders } from '@/test/render';

import { UrlMultiSelect } from './UrlMultiSelect';

const LEVELS = ['critical', 'high', 'medium'];

/** The value as the URL holds it, moved only by the "URL moves" button, never by a pick. */
function Lagging({ onChange }: { onChange: (value: string[]) => void }) {
  const [url, setUrl] = useState(['high']);
  return (
    <>
      <button type="button" onClick={() => setUrl([])}>
        URL moves
      </button>
      <UrlMultiSelect label="Need" data={LEVELS} value={url} onChange={onChange} />
    </>
  );
}

function pills(): string[] {
  const field = screen.getByRole('combobox', { name: 'Need' }).closest('.mantine-MultiSelect-root');
  if (!(field instanceof HTMLElement)) throw new Error('no MultiSelect');
  return within(field)
    .queryAllByText(/^(critical|high|medium)$/)
    .map((el) => el.textContent);
}

describe('UrlMultiSelect', () => {
  it('keeps the first pick when the second comes before the URL shows it', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    renderWithProviders(<UrlMultiSelect label="Need" data={LEVELS} value={[]} onChange={onChange} />);
    await user.click(screen.getByRole('combobox', { name: 'Need' }));
    await user.click(screen.getByRole('option', { name: 'critical' }));
    await user.click(screen.getByRole('option', { name: 'high' }));
    expect(onChange).toHaveBeenLastCalledWith(['critical', 'high']);
  });

  it('shows the URL again once it moves somewhere else (back, or "clear all")', async () => {
    const user = userEvent.setup();
    renderWithProviders(<Lagging onChange={vi.fn()} />);
    expect(pills()).toEqual(['high']);
    await user.click(screen.getByRole('button', { name: 'URL moves' }));
    expect(pills()).toEqual([]);
  });
});
