/**
 * Maps an API error onto form fields. For a 422 (and a 409 such as a duplicate email) the error's
 * `details` list `{loc: ["body", "email"], message, type}`; `loc[1..]` names the field
 * ("email", or "shipping.city" for a nested one).
 */
import { isApiError } from './errors';

export type FormErrorResult = {
  /** Field path → message (the first message wins when a field has several). */
  fields: Record<string, string>;
  /** What could not be tied to a field (shown above the form); null when every detail found a field. */
  formMessage: string | null;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function fieldPath(loc: unknown): string | null {
  if (!Array.isArray(loc) || loc.length < 2 || loc[0] !== 'body') return null;
  const parts = loc.slice(1);
  if (!parts.every((p) => typeof p === 'string' || typeof p === 'number')) return null;
  return parts.map(String).join('.');
}

/** Capitalises the server's message for display next to a field. */
function sentence(message: string): string {
  const trimmed = message.trim();
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}

export function formErrorsFromApi(error: unknown, knownFields?: readonly string[]): FormErrorResult {
  if (!isApiError(error)) {
    return { fields: {}, formMessage: error instanceof Error ? error.message : 'Something went wrong.' };
  }
  const fields: Record<string, string> = {};
  let unmatched = false;
  if (Array.isArray(error.details)) {
    for (const detail of error.details) {
      if (!isRecord(detail) || typeof detail.message !== 'string') continue;
      const path = fieldPath(detail.loc);
      if (path === null || (knownFields !== undefined && !knownFields.includes(path))) {
        unmatched = true;
        continue;
      }
      fields[path] ??= sentence(detail.message);
    }
  }
  const anyField = Object.keys(fields).length > 0;
  return { fields, formMessage: anyField && !unmatched ? null : error.message };
}
