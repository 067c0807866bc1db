import { isApiError } from '@/api/errors';

import { pathFromLoc, treeErrors } from './tree';
import type { TreeErrors } from './tree';

export type SaveErrors = { name: string | null; tree: TreeErrors | null; form: string | null };

export const NO_SAVE_ERRORS: SaveErrors = { name: null, tree: null, form: null };

/** A failed save: a clash on the name at the name, a refused rule at its rule, the rest above the form. */
export function saveErrors(error: unknown): SaveErrors {
  if (!isApiError(error)) return { ...NO_SAVE_ERRORS, form: error instanceof Error ? error.message : 'Could not save.' };
  const details: unknown[] = Array.isArray(error.details) ? error.details : [];
  const nameDetail = details.find(
    (d): d is { message: string } =>
      typeof d === 'object' && d !== null && 'loc' in d && Array.isArray(d.loc) && d.loc[1] === 'name' && 'message' in d,
  );
  const treeDetails = details.filter(
    (d) => typeof d === 'object' && d !== null && 'loc' in d && pathFromLoc(d.loc) !== null,
  );
  if (error.status === 409) return { ...NO_SAVE_ERRORS, name: nameDetail?.message ?? error.message };
  if (nameDetail !== undefined || treeDetails.length > 0) {
    return {
      name: nameDetail?.message ?? null,
      tree: treeDetails.length > 0 ? treeErrors(treeDetails, error.message) : null,
      form: null,
    };
  }
  return { ...NO_SAVE_ERRORS, form: error.message };
}

