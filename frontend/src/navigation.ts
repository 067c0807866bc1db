/**
 * The one list of app pages. The navbar and the router are both built from it, and show a page
 * only once it exists.
 *
 * To add a page (e.g. Customers):
 *   1. create `src/pages/Customers.tsx` with a default-exported component;
 *   2. below, give its entry `page: () => import('./pages/Customers')`.
 * That is all: the route, the navbar link and the Home overview card follow.
 * Pages load lazily, so each one becomes its own chunk.
 *
 * A page for some roles only (Users: admins) lists them in `roles`: other users see neither its link
 * nor its card, and its route answers them with a "no access" page.
 */
import type { ComponentType } from 'react';

import type { Role } from './api/client';

import {
  IconBox,
  IconCart,
  IconDashboard,
  IconMail,
  IconSegments,
  IconShieldUser,
  IconUpload,
  IconUsers,
} from './components/icons';
import type { IconComponent } from './components/icons';
import { LOGIN_PATH } from './lib/nextPath';

export type PageModule = { default: ComponentType };

export type AppPage = {
  /** Absolute path, e.g. `/customers`. */
  path: string;
  label: string;
  /** One line for the Home overview. */
  description: string;
  icon?: IconComponent;
  /** Loads the page component. Leave it out while the page does not exist yet. */
  page?: () => Promise<PageModule>;
  /** Only these roles see and open the page; every role when left out. */
  roles?: readonly Role[];
};

export type AvailablePage = AppPage & { page: () => Promise<PageModule> };

/** The landing page after login: the dashboard (revenue, orders and customer figures at a glance). */
export const HOME_PAGE = { path: '/', label: 'Dashboard', icon: IconDashboard } as const;

export const APP_PAGES: readonly AppPage[] = [
  {
    path: '/customers',
    page: () => import('./pages/Customers'),
    label: 'Customers',
    description: 'Every customer with their orders, spend and activity.',
    icon: IconUsers,
  },
  {
    path: '/segments',
    page: () => import('./pages/Segments'),
    label: 'Segments',
    description: 'Live groups of customers built from rules or plain language.',
    icon: IconSegments,
  },
  {
    path: '/flows',
    label: 'Email Flows',
    description: 'Email sequences that run by themselves for a segment.',
    icon: IconMail,
  },
  {
    path: '/orders',
    page: () => import('./pages/Orders'),
    label: 'Orders',
    description: 'Orders and their items, searchable and sortable.',
    icon: IconCart,
  },
  {
    path: '/inventory',
    page: () => import('./pages/Inventory'),
    label: 'Inventory',
    description: 'Products and stock levels, with low-stock alerts.',
    icon: IconBox,
  },
  {
    path: '/import',
    page: () => import('./pages/Import'),
    label: 'Import',
    description: 'Customers, orders and products from a CSV file, such as a Shopify export.',
    icon: IconUpload,
    // Writing data: admins and marketers, as the API's writer routes require.
    roles: ['admin', 'marketer'],
  },
  {
    path: '/users',
    page: () => import('./pages/Users'),
    label: 'Users',
    description: 'Who may log in, with which role; new users and password resets.',
    icon: IconShieldUser,
    roles: ['admin'],
  },
  {
    path: '/audit-log',
    page: () => import('./pages/AuditLog'),
    label: 'Audit log',
    description: 'Who downloaded or erased personal data, and imports.',
    icon: IconShieldUser,
    roles: ['admin'],
  },
];

export function canSee(page: AppPage, role: Role): boolean {
  return page.roles === undefined || page.roles.includes(role);
}

/** The registry's pages this role may see (built or not), in order. */
export function pagesFor(role: Role, pages: readonly AppPage[] = APP_PAGES): AppPage[] {
  return pages.filter((page) => canSee(page, role));
}

export function isAvailable(page: AppPage): page is AvailablePage {
  return page.page !== undefined;
}

/** The pages that exist, in registry order. */
export function availablePages(pages: readonly AppPage[] = APP_PAGES): AvailablePage[] {
  return pages.filter(isAvailable);
}

export const APP_NAME = 'ShopCRM';

function matches(pathname: string, path: string): boolean {
  return pathname === path || pathname.startsWith(`${path}/`);
}

/** What the page at `pathname` is called: its registry label, "Log in", or "Page not found". */
export function pageName(pathname: string, pages: readonly AppPage[] = APP_PAGES): string {
  if (pathname === HOME_PAGE.path) return HOME_PAGE.label;
  if (pathname === LOGIN_PATH) return 'Log in';
  return availablePages(pages).find((page) => matches(pathname, page.path))?.label ?? 'Page not found';
}

/** The browser tab's title for a page, e.g. "Customers · ShopCRM". */
export function documentTitle(pathname: string, pages: readonly AppPage[] = APP_PAGES): string {
  return `${pageName(pathname, pages)} · ${APP_NAME}`;
}
