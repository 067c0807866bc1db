/**
 * A refused start (422) in the words the mapping step shows: the server's message, and each detail
 * put next to what it is about — a file column (`loc` naming the column's header under `mapping`),
 * the product SKU, or the alert when it names neither.
 */
import { isApiError } from '@/api/errors';

import type { StartError } from './MappingStep';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The detail's message: `message` in this API's error shape, `msg` in FastAPI's raw one. */
function detailMessage(detail: Record<string, unknown>): string | null {
  if (typeof detail.message === 'string') return detail.message;
  if (typeof detail.msg === 'string') return detail.msg;
  return null;
}

function sentence(text: string): string {
  const t = text.trim();
  return t.charAt(0).toUpperCase() + t.slice(1);
}

export function startErrorFrom(error: unknown, headers: readonly string[]): StartError {
  if (!isApiError(error)) {
    return {
      message: error instanceof Error ? error.message : 'Something went wrong.',
      columns: {},
      productSku: null,
      productName: null,
      details: [],
    };
  }
  const result: StartError = { message: error.message, columns: {}, productSku: null, productName: null, details: [] };
  if (!Array.isArray(error.details)) return result;
  for (const raw of error.details as unknown[]) {
    if (!isRecord(raw)) continue;
    const message = detailMessage(raw);
    if (message === null) continue;
    const loc = Array.isArray(raw.loc) ? (raw.loc as unknown[]).filter((p) => typeof p === 'string' || typeof p === 'number').map(String) : [];
    const path = loc[0] === 'body' ? loc.slice(1) : loc;
    if (path.includes('product_sku')) {
      result.productSku ??= sentence(message);
    } else if (path.includes('product_name')) {
      result.productName ??= sentence(message);
    } else if (path[0] === 'mapping' && path[1] !== undefined && headers.includes(path[1])) {
      result.columns[path[1]] ??= sentence(message);
    }
    const where = path.length > 0 ? `${path.join(' › ')}: ` : '';
    result.details.push(`${where}${message}`);
  }
  return result;
}
