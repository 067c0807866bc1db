import { useContext, useState } from 'react';
import type { ReactNode } from 'react';

import type { CustomerDetails } from '@/api/client';
import { CurrentUserContext } from '@/components/currentUser';
import { useReturnFocusWhenClosed } from '@/components/useReturnFocusWhenClosed';
import { CustomerDetailsPanel } from '@/features/customers/CustomerDetailsPanel';
import { OrderDetailsPanel } from '@/features/orders/OrderDetailsPanel';
import { PersonalDataSection } from '@/features/privacy/PersonalDataSection';
import { CustomerSegments } from '@/features/segments/CustomerSegments';
import { usePanelNavigation } from '@/lib/usePanelNavigation';

/**
 * The customer and order panels of a page, driven by the URL: one open at a time, each able to
 * open the other, at any depth. Features never import features, so the panels do not know each
 * other: each takes the URL of the other's panel (`orderHref` / `customerHref`) as a prop, and this
 * module, which the Customers, Orders and Segments pages share, wires them (and hands the customer
 * panel the segments feature's list of the customer's segments, and, for admins, the privacy feature's
 * personal-data section). A new panel (a product, a
 * segment) is one more URL parameter in lib/panelParams.ts and one more panel here.
 */
export function DetailPanels({ customerActions }: { customerActions?: (details: CustomerDetails) => ReactNode }) {
  const { panel, close, customerHref, orderHref } = usePanelNavigation();
  // Read softly: the panels also render where no user is known yet (then nobody is an admin).
  const admin = useContext(CurrentUserContext)?.role === 'admin';
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
        segments={(id) => <CustomerSegments customerId={id} />}
        footer={admin ? (details) => <PersonalDataSection customer={details.customer} /> : undefined}
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
