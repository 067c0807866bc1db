import { useState } from 'react';
import type { ReactNode } from 'react';

import type { CustomerDetails } from '@/api/client';

import { CustomerDetailsPanel } from './CustomerDetailsPanel';
import { OrderDetailsPanel } from './OrderDetailsPanel';
import { usePanelNavigation } from './usePanelNavigation';

/**
 * The customer and order panels of a page, driven by the URL: one open at a time, each able to
 * open the other, at any depth.
 */
export function DetailPanels({ customerActions }: { customerActions?: (details: CustomerDetails) => ReactNode }) {
  const { panel, openCustomer, openOrder, close } = usePanelNavigation();
  // The last id of each kind stays while its drawer closes, so the content does not blank out.
  const [lastCustomer, setLastCustomer] = useState<number | null>(null);
  const [lastOrder, setLastOrder] = useState<number | null>(null);
  if (panel?.kind === 'customer' && panel.id !== lastCustomer) setLastCustomer(panel.id);
  if (panel?.kind === 'order' && panel.id !== lastOrder) setLastOrder(panel.id);
  return (
    <>
      <CustomerDetailsPanel
        customerId={panel?.kind === 'customer' ? panel.id : lastCustomer}
        isOpen={panel?.kind === 'customer'}
        onClose={close}
        onOrderClick={openOrder}
        actions={customerActions}
      />
      <OrderDetailsPanel
        orderId={panel?.kind === 'order' ? panel.id : lastOrder}
        isOpen={panel?.kind === 'order'}
        onClose={close}
        onCustomerClick={openCustomer}
      />
    </>
  );
}
