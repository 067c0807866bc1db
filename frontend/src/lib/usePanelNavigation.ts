import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

import { readPanel, withPanel } from './panelParams';
import type { OpenPanel } from './panelParams';

/**
 * The details panel named by the URL (`?customer=12` / `?order=345`). Opening, switching and closing
 * a panel each push a history entry, so the back button walks back through customer → order →
 * customer chains. `customerHref` / `orderHref` are the same moves as link targets, so a name can be
 * a real link (Ctrl/Cmd-click opens the panel in a new tab; a plain click opens it in place).
 */
export function usePanelNavigation() {
  const [params, setParams] = useSearchParams();
  const panel = useMemo(() => readPanel(params), [params]);
  const show = useCallback(
    (next: OpenPanel) => setParams((current) => withPanel(current, next)),
    [setParams],
  );
  const href = useCallback((next: OpenPanel) => `?${withPanel(params, next).toString()}`, [params]);
  return {
    panel,
    openCustomer: useCallback((id: number) => show({ kind: 'customer', id }), [show]),
    openOrder: useCallback((id: number) => show({ kind: 'order', id }), [show]),
    close: useCallback(() => show(null), [show]),
    customerHref: useCallback((id: number) => href({ kind: 'customer', id }), [href]),
    orderHref: useCallback((id: number) => href({ kind: 'order', id }), [href]),
  };
}
