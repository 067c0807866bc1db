import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { APP_PAGES, availablePages, pagesFor } from '@/navigation';
import type { AppPage } from '@/navigation';
import { renderWithProviders } from '@/test/render';

import { MainNav } from './MainNav';

const Stub = () => null;

describe('navigation registry', () => {
  it('lists the seed pages after the Dashboard (the home page), then Import and the admin pages', () => {
    expect(APP_PAGES.map((p) => p.label)).toEqual([
      'Customers',
      'Segments',
      'Email Flows',
      'Orders',
      'Inventory',
      'Import',
      'Users',
      'Audit log',
    ]);
  });

  it('shows a page meant for some roles only to them', () => {
    for (const path of ['/users', '/audit-log']) {
      expect(APP_PAGES.find((p) => p.path === path)?.roles).toEqual(['admin']);
      expect(pagesFor('admin').map((p) => p.path)).toContain(path);
    }
    for (const role of ['marketer', 'viewer'] as const) {
      expect(pagesFor(role).map((p) => p.path)).not.toContain('/users');
      expect(pagesFor(role).map((p) => p.path)).not.toContain('/audit-log');
    }
    expect(pagesFor('marketer')).toHaveLength(APP_PAGES.length - 2);
    expect(pagesFor('viewer')).toHaveLength(APP_PAGES.length - 3);
  });

  it('shows Import to the roles that write data, not to viewers', () => {
    const importPage = APP_PAGES.find((p) => p.path === '/import');
    expect(importPage?.roles).toEqual(['admin', 'marketer']);
    expect(pagesFor('admin').map((p) => p.path)).toContain('/import');
    expect(pagesFor('marketer').map((p) => p.path)).toContain('/import');
    expect(pagesFor('viewer').map((p) => p.path)).not.toContain('/import');
    expect(pagesFor('viewer')).toHaveLength(APP_PAGES.length - 3); // nor Users, nor the audit log
  });

  it('keeps only pages that have a component, in order', () => {
    const pages: AppPage[] = [
      { path: '/a', label: 'A', description: '' },
      { path: '/b', label: 'B', description: '', page: () => Promise.resolve({ default: Stub }) },
      { path: '/c', label: 'C', description: '', page: () => Promise.resolve({ default: Stub }) },
    ];
    expect(availablePages(pages).map((p) => p.label)).toEqual(['B', 'C']);
  });
});

describe('MainNav', () => {
  it('shows only the Dashboard (home) while none of the seed pages exist', () => {
    renderWithProviders(<MainNav />);
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    const links = within(nav).getAllByRole('link');
    const expected = ['Dashboard', ...availablePages().map((p) => p.label)];
    expect(links.map((l) => l.textContent)).toEqual(expected);
    for (const page of APP_PAGES.filter((p) => p.page === undefined)) {
      expect(within(nav).queryByText(page.label)).not.toBeInTheDocument();
    }
  });

  it('leaves out the pages of other roles', () => {
    renderWithProviders(<MainNav role="viewer" />);
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).queryByRole('link', { name: 'Users' })).not.toBeInTheDocument();
    expect(within(nav).queryByRole('link', { name: 'Import' })).not.toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Customers' })).toBeInTheDocument();
  });

  it('shows a marketer the Import page', () => {
    renderWithProviders(<MainNav role="marketer" />);
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getByRole('link', { name: 'Import' })).toHaveAttribute('href', '/import');
  });

  it('shows an admin the Users page', () => {
    renderWithProviders(<MainNav role="admin" />);
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getByRole('link', { name: 'Users' })).toHaveAttribute('href', '/users');
  });

  it('shows a page as soon as its component exists, and marks the current one', () => {
    const pages: AppPage[] = [
      {
        path: '/customers',
        label: 'Customers',
        description: '',
        page: () => Promise.resolve({ default: Stub }),
      },
      { path: '/orders', label: 'Orders', description: '' },
    ];
    renderWithProviders(<MainNav pages={pages} />, { route: '/customers/12' });

    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    const customers = within(nav).getByRole('link', { name: 'Customers' });
    expect(customers).toHaveAttribute('href', '/customers');
    expect(customers).toHaveAttribute('aria-current', 'page');
    expect(within(nav).getByRole('link', { name: 'Dashboard' })).not.toHaveAttribute('aria-current');
    expect(within(nav).queryByText('Orders')).not.toBeInTheDocument();
  });
});
