/** Checks of the stock and product forms before anything is sent (the API checks again). */

export type AdjustmentDraft = { kind: 'received' | 'correction'; amount: number | string; reason: string };

export function adjustmentErrors(draft: AdjustmentDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  const n = typeof draft.amount === 'number' ? draft.amount : Number.NaN;
  if (!Number.isInteger(n)) errors.amount = 'Enter a whole number';
  else if (draft.kind === 'received' && n < 1) errors.amount = 'Receive at least 1 unit';
  else if (draft.kind === 'correction' && n < 0) errors.amount = 'Stock cannot be below zero';
  else if (n > 2_147_483_647) errors.amount = 'Too large';
  if (draft.reason.trim() === '') errors.reason = 'Say why (a delivery note, a stocktake)';
  return errors;
}

export type ProductDraft = { price: string; cost: string; threshold: number | string; leadDays: number | string };

const MONEY = /^\d{1,10}(\.\d{1,2})?$/;

export function productErrors(draft: ProductDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!MONEY.test(draft.price.trim())) errors.price = 'A price such as 12.50';
  if (draft.cost.trim() !== '' && !MONEY.test(draft.cost.trim())) errors.cost = 'A cost such as 4.20, or empty';
  if (typeof draft.threshold !== 'number' || !Number.isInteger(draft.threshold) || draft.threshold < 0)
    errors.threshold = 'A whole number, 0 or more';
  if (typeof draft.leadDays !== 'number' || !Number.isInteger(draft.leadDays) || draft.leadDays < 0 || draft.leadDays > 3650)
    errors.leadDays = 'Days between 0 and 3650';
  return errors;
}
