import { describe, expect, it } from 'vitest';

import { documentTitle, pageName } from './navigation';
import type { AppPage } from './navigation';

const Stub = () => null;

describe('document titles', () => {
  it('names every page', () => {
    expect(documentTitle('/')).toBe('Dashboard · ShopCRM');
    expect(documentTitle('/login')).toBe('Log in · ShopCRM');
    expect(documentTitle('/customers')).toBe('Customers · ShopCRM');
    expect(documentTitle('/orders')).toBe('Orders · ShopCRM');
    expect(documentTitle('/no-such-page')).toBe('Page not found · ShopCRM');
  });

  it('calls a registered page that does not exist yet "not found", as the router does', () => {
    const pages: AppPage[] = [
      { path: '/a', label: 'A', description: '' },
      { path: '/b', label: 'B', description: '', page: () => Promise.resolve({ default: Stub }) },
    ];
    expect(pageName('/a', pages)).toBe('Page not found');
    expect(pageName('/b', pages)).toBe('B');
    expect(pageName('/b/12', pages)).toBe('B');
    expect(pageName('/bb', pages)).toBe('Page not found');
  });
});
