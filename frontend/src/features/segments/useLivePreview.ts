import { useDebouncedValue } from '@mantine/hooks';
import { useMemo } from 'react';
import type { RuleGroupType } from 'react-querybuilder';

import { isApiError } from '@/api/errors';
import { useSegmentPreview } from '@/api/queries/segments';

import type { FieldSpec } from './fields';
import { toApiTree, treeErrors, unfinishedRules } from './tree';
import type { TreeErrors } from './tree';

/** How long the rules must stay unchanged before they are counted. */
export const PREVIEW_DEBOUNCE_MS = 300;

/**
 * The live count of the rules being edited: counted once they have not changed for
 * `PREVIEW_DEBOUNCE_MS`, and only when every rule is finished. The previous answer stays on screen,
 * marked stale, until the current rules' answer arrives; an answer for older rules is never shown
 * (the preview query is keyed by the tree). A 422 becomes messages at the rules it names.
 */
export function useLivePreview(
  query: RuleGroupType,
  fields: ReadonlyMap<string, FieldSpec>,
  { enabled = true, delay = PREVIEW_DEBOUNCE_MS }: { enabled?: boolean; delay?: number } = {},
) {
  const [debounced] = useDebouncedValue(query, delay);
  const tree = useMemo(() => toApiTree(debounced), [debounced]);
  const unfinished = useMemo(() => unfinishedRules(debounced, fields), [debounced, fields]);
  const ready = enabled && fields.size > 0 && Object.keys(unfinished).length === 0;
  const preview = useSegmentPreview(tree, ready);

  const invalid: TreeErrors | null =
    ready && isApiError(preview.error) && preview.error.status === 422
      ? treeErrors(preview.error.details, preview.error.message)
      : null;
  // The rules on screen differ from the ones counted: typing, debouncing, or the answer on its way.
  const settling = debounced !== query;
  return {
    /** The tree last sent (or about to be), as the API reads it. */
    tree,
    /** The answer for the current rules, or the previous rules' answer while this one loads. */
    data: preview.data,
    /** The answer shown is not for the rules on screen. */
    stale: settling || preview.isPlaceholderData || (preview.isFetching && ready) || !ready,
    counting: ready && preview.isFetching,
    unfinished,
    /** The server refused the rules: where each message goes. */
    invalid,
    /** Any other failure (the count could not be computed): shown with Retry, never as a spinner. */
    error: ready && preview.isError && invalid === null ? preview.error : null,
    retry: () => void preview.refetch(),
  };
}
