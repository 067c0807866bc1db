import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { renderWithProviders } from '@/test/render';

import { Pagination } from './Pagination';
import { rangeText } from './rangeText';

describe('rangeText', () => {
  it('shows the rows of the page and the total', () => {
    expect(rangeText({ page: 1, pageSize: 25, itemCount: 25, total: 2000 })).toBe('Showing 1–25 of 2,000');
    expect(rangeText({ page: 2, pageSize: 25, itemCount: 25, total: 2000 })).toBe('Showing 26–50 of 2,000');
  });

  it('counts a short last page', () => {
    expect(rangeText({ page: 80, pageSize: 25, itemCount: 7, total: 1982 })).toBe('Showing 1,976–1,982 of 1,982');
  });

  it('marks a total that is only a lower bound', () => {
    expect(rangeText({ page: 3, pageSize: 100, itemCount: 100, total: 10000, totalExact: false })).toBe(
      'Showing 201–300 of 10,000+',
    );
    expect(rangeText({ page: 1, pageSize: 25, itemCount: 25, total: 2554, totalExact: false })).toBe(
      'Showing 1–25 of ~2,600',
    );
  });

  it('handles an empty page', () => {
    expect(rangeText({ page: 1, pageSize: 25, itemCount: 0, total: 0 })).toBe('Showing 0 of 0');
  });
});

describe('Pagination', () => {
  const props = {
    page: 2,
    pageSize: 25,
    itemCount: 25,
    total: 2000,
    hasPrevious: true,
    hasNext: false,
    label: 'Customers pages',
  };

  it('shows the range and calls back on previous, disabling next on the last page', async () => {
    const onPrevious = vi.fn();
    const onNext = vi.fn();
    renderWithProviders(
      <Pagination {...props} onPrevious={onPrevious} onNext={onNext} onPageSizeChange={vi.fn()} />,
    );
    const nav = screen.getByRole('navigation', { name: 'Customers pages' });
    expect(nav).toHaveTextContent('Showing 26–50 of 2,000');
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(onPrevious).toHaveBeenCalledTimes(1);
    expect(onNext).not.toHaveBeenCalled();
  });

  it('changes the page size', async () => {
    const onPageSizeChange = vi.fn();
    renderWithProviders(
      <Pagination {...props} onPrevious={vi.fn()} onNext={vi.fn()} onPageSizeChange={onPageSizeChange} />,
    );
    await userEvent.click(screen.getByLabelText('Rows per page', { selector: 'input' }));
    await userEvent.click(await screen.findByRole('option', { name: '50' }));
    expect(onPageSizeChange).toHaveBeenCalledWith(50);
  });
});
