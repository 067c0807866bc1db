/** What an import brings in, and where its rows can be seen afterwards. */
export const IMPORT_KINDS = ['customers', 'orders', 'products'] as const;

export type ImportKind = (typeof IMPORT_KINDS)[number];

export const KIND_LABELS: Record<ImportKind, string> = {
  customers: 'Customers',
  orders: 'Orders',
  products: 'Products',
};

export const KIND_DESCRIPTIONS: Record<ImportKind, string> = {
  customers: 'People with their email, name, address and marketing consent.',
  orders: 'Order history, one row per order line or per order.',
  products: 'Your catalogue: SKU, name, price and stock.',
};

/** The pages that show what an import of this kind brought in. */
export const KIND_PAGES: Record<ImportKind, readonly { label: string; href: string }[]> = {
  customers: [{ label: 'Customers', href: '/customers' }],
  orders: [
    { label: 'Orders', href: '/orders' },
    { label: 'Customers', href: '/customers' },
  ],
  products: [{ label: 'Inventory', href: '/inventory' }],
};

export function parseKind(value: string | null | undefined): ImportKind | null {
  return IMPORT_KINDS.find((k) => k === value) ?? null;
}
