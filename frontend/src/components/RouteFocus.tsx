import { useEffect, useRef } from 'react';
import { Outlet, useLocation } from 'react-router';

import { documentTitle } from '@/navigation';

import { dialogOpen, focusPageHeading } from './pageFocus';

/** How long to wait for a page's heading after a route change (a guard may still be loading). */
const HEADING_WAIT_FRAMES = 120;

/**
 * Every route's shell: the document title names the page ("Customers · ShopCRM"), and after a
 * route change focus moves to the new page's heading, so screen readers announce it and the next
 * Tab starts at the top of the page instead of on a link that no longer exists.
 */
export function RouteFocus() {
  const { pathname } = useLocation();
  const shown = useRef(pathname);

  useEffect(() => {
    document.title = documentTitle(pathname);
  }, [pathname]);

  useEffect(() => {
    if (shown.current === pathname) return; // the first page load: the browser starts at the top
    shown.current = pathname;
    let frame = 0;
    let tries = 0;
    const attempt = () => {
      if (dialogOpen() || focusPageHeading()) return;
      tries += 1;
      if (tries < HEADING_WAIT_FRAMES) frame = requestAnimationFrame(attempt);
    };
    attempt();
    return () => cancelAnimationFrame(frame);
  }, [pathname]);

  return <Outlet />;
}
