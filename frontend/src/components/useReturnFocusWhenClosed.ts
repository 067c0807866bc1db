import { useEffect, useRef } from 'react';

import { focusPageHeading, isOnPage } from './pageFocus';

/**
 * Focus goes back where the user was on the page when the last of a page's panels closes, however
 * the panels were chained (customer → order → Escape) or reached (the back button): the element the
 * first panel was opened from (a row's link), or the page heading when that is gone (the list
 * changed, the panel came from a shared link). `open`: whether any panel is open.
 */
export function useReturnFocusWhenClosed(open: boolean): void {
  const lastOnPage = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const remember = (event: FocusEvent) => {
      if (isOnPage(event.target)) lastOnPage.current = event.target;
    };
    document.addEventListener('focusin', remember);
    return () => document.removeEventListener('focusin', remember);
  }, []);

  const wasOpen = useRef(open);
  useEffect(() => {
    if (wasOpen.current && !open) {
      const target = lastOnPage.current;
      if (target?.isConnected === true && target.getClientRects().length > 0) target.focus();
      else focusPageHeading();
    }
    wasOpen.current = open;
  }, [open]);
}
