import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

import { readPanel, withPanel } from '@/lib/panelParams';
import type { OpenPanel } from '@/lib/panelParams';

/**
 * The details panel named by the URL (`?customer=12` / `?order=345`). Opening, switching and closing
 * a panel each push a history entry, so the back button walks back through customer → order →
 * customer chains.
 */
export function usePanelNavigation() {
  const [params, setParams] = useSearchParams();
  const panel = useMemo(() => readPanel(params), [params]);
  const show = useCallback(
    (next: OpenPanel) => setParams((current) => withPanel(current, next)),
    [setParams],
  );
  return {
    panel,
    openCustomer: useCallback((id: number) => show({ kind: 'customer', id }), [show]),
    openOrder: useCallback((id: number) => show({ kind: 'order', id }), [show]),
    close: useCallback(() => show(null), [show]),
  };
}
