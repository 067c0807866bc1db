import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { theme } from '@/theme';

import { LiveCount } from './LiveCount';
import type { LiveCountProps } from './LiveCount';

const BASE: LiveCountProps = {
  count: 1234,
  stale: false,
  counting: false,
  unfinished: 0,
  invalid: false,
  error: null,
  onRetry: () => undefined,
};

function renderCount(props: Partial<LiveCountProps>) {
  render(
    <MantineProvider theme={theme} env="test">
      <LiveCount {...BASE} {...props} />
    </MantineProvider>,
  );
}

describe('LiveCount', () => {
  it('shows the count', () => {
    renderCount({});
    expect(screen.getByTestId('live-count-value')).toHaveTextContent('1,234');
    expect(screen.queryByLabelText('Counting')).not.toBeInTheDocument();
  });

  it('keeps the last count dimmed while a newer one is counted', () => {
    renderCount({ stale: true, counting: true });
    expect(screen.getByTestId('live-count-value')).toHaveAttribute('data-stale', 'true');
    expect(screen.getByLabelText('Counting')).toBeInTheDocument();
  });

  it('says what to finish instead of counting unfinished rules', () => {
    renderCount({ stale: true, unfinished: 2 });
    expect(screen.getByText('Finish the highlighted conditions to count.')).toBeInTheDocument();
  });

  it('shows a failed count as an error with Retry, never as a spinner', async () => {
    const onRetry = vi.fn();
    renderCount({ error: new Error('Counting took too long'), onRetry, counting: false });
    expect(screen.getByRole('alert')).toHaveTextContent('Counting took too long');
    expect(screen.queryByLabelText('Counting')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledOnce();
  });
});
