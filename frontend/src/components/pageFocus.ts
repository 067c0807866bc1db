/** Focus helpers for route changes and closing panels (keyboard and screen-reader users). */

/** The page's main heading, made focusable; false when the page has not rendered one yet. */
export function focusPageHeading(): boolean {
  const heading = document.querySelector<HTMLElement>('main h1') ?? document.querySelector<HTMLElement>('h1');
  if (heading === null) return false;
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus({ preventScroll: true });
  return true;
}

/** Whether a dialog (a details panel, a form) is open: it owns the focus then. */
export function dialogOpen(): boolean {
  return document.querySelector('[role="dialog"]') !== null;
}

/** An element outside every dialog and notification: somewhere on the page itself. */
export function isOnPage(element: EventTarget | null): element is HTMLElement {
  return (
    element instanceof HTMLElement &&
    element !== document.body &&
    element.closest('[role="dialog"], .mantine-Notifications-root') === null
  );
}
