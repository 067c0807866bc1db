import { NavLink, Stack } from '@mantine/core';
import { Link, useLocation } from 'react-router';

import type { Role } from '@/api/client';
import { APP_PAGES, HOME_PAGE, availablePages, pagesFor } from '@/navigation';
import type { AppPage } from '@/navigation';

function isActive(pathname: string, path: string): boolean {
  if (path === '/') return pathname === '/';
  return pathname === path || pathname.startsWith(`${path}/`);
}

/** Home, then every page of the registry that exists and that the user's role may see. */
export function MainNav({
  pages = APP_PAGES,
  role,
  onNavigate,
}: {
  pages?: readonly AppPage[];
  /** Pages meant for other roles are left out; all pages when absent. */
  role?: Role;
  onNavigate?: () => void;
}) {
  const { pathname } = useLocation();
  const links = [HOME_PAGE, ...availablePages(role === undefined ? pages : pagesFor(role, pages))];
  return (
    <Stack gap={4} component="nav" aria-label="Main navigation">
      {links.map(({ path, label, icon: Icon }) => (
        <NavLink
          key={path}
          component={Link}
          to={path}
          label={label}
          leftSection={Icon ? <Icon /> : null}
          active={isActive(pathname, path)}
          aria-current={isActive(pathname, path) ? 'page' : undefined}
          onClick={onNavigate}
          variant="light"
          style={{ borderRadius: 'var(--mantine-radius-md)' }}
        />
      ))}
    </Stack>
  );
}
