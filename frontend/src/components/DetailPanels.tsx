import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';

import type { CustomerDetails } from '@/api/client';

import { CustomerDetailsPanel } from './CustomerDetailsPanel';
import { OrderDetailsPanel } from './OrderDetailsPanel';
import { focusPageHeading, isOnPage } from './pageFocus';
import { usePanelNavigation } from './usePanelNavigation';

/**
 * Focus goes back where the user was on the page when the last panel closes, however the panels
 * were chained (customer → order → Escape) or reached (the back button): the row link the first
 * panel was opened from, or the page heading when that is gone (the list changed, the panel came
 * from a shared link).
 */
function useReturnFocusWhenClosed(open: boolean) {
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

/**
 * The customer and order panels of a page, driven by the URL: one open at a time, each able to
 * open the other, at any depth.
 */
export function DetailPanels({ customerActions }: { customerActions?: (details: CustomerDetails) => ReactNode }) {
  const { panel, close, customerHref, orderHref } = usePanelNavigation();
  // The last id of each kind stays while its drawer closes, so the content does not blank out.
  const [lastCustomer, setLastCustomer] = useState<number | null>(null);
  const [lastOrder, setLastOrder] = useState<number | null>(null);
  if (panel?.kind === 'customer' && panel.id !== lastCustomer) setLastCustomer(panel.id);
  if (panel?.kind === 'order' && panel.id !== lastOrder) setLastOrder(panel.id);
  useReturnFocusWhenClosed(panel !== null);
  return (
    <>
      <CustomerDetailsPanel
        customerId={panel?.kind === 'customer' ? panel.id : lastCustomer}
        isOpen={panel?.kind === 'customer'}
        onClose={close}
        orderHref={orderHref}
        actions={customerActions}
      />
      <OrderDetailsPanel
        orderId={panel?.kind === 'order' ? panel.id : lastOrder}
        isOpen={panel?.kind === 'order'}
        onClose={close}
        customerHref={customerHref}
      />
    </>
  );
}
