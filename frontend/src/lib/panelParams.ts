/** The URL parameters naming the open details panel: `?customer=12` or `?order=345`. */
export const CUSTOMER_PANEL_PARAM = 'customer';
export const ORDER_PANEL_PARAM = 'order';
/** The inventory page's product panel (`?product=7`), kept like the others when the list changes. */
export const PRODUCT_PANEL_PARAM = 'product';
export const PANEL_PARAMS = [CUSTOMER_PANEL_PARAM, ORDER_PANEL_PARAM, PRODUCT_PANEL_PARAM] as const;

export type OpenPanel = { kind: 'customer'; id: number } | { kind: 'order'; id: number } | null;

function parseId(value: string | null): number | null {
  if (value === null || !/^[1-9]\d{0,15}$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

/** The panel the URL opens (the order wins if both are given). */
export function readPanel(params: URLSearchParams): OpenPanel {
  const order = parseId(params.get(ORDER_PANEL_PARAM));
  if (order !== null) return { kind: 'order', id: order };
  const customer = parseId(params.get(CUSTOMER_PANEL_PARAM));
  if (customer !== null) return { kind: 'customer', id: customer };
  return null;
}

/** `params` with `panel` open instead of whatever was open (one panel at a time). */
export function withPanel(params: URLSearchParams, panel: OpenPanel): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of PANEL_PARAMS) next.delete(key);
  if (panel !== null) next.set(panel.kind === 'customer' ? CUSTOMER_PANEL_PARAM : ORDER_PANEL_PARAM, String(panel.id));
  return next;
}
