import { Alert, Button, Card, Group, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { ReactNode, SubmitEvent } from 'react';
import type { RuleGroupType } from 'react-querybuilder';

import { useCreateSegment, useUpdateSegment } from '@/api/queries/segments';

import type { CustomerOut, SegmentOut } from './apiTypes';
import type { FieldSpec } from './fields';
import { LiveCount } from './LiveCount';
import { RuleBuilder } from './RuleBuilder';
import type { BuilderFeedback } from './RuleBuilder';
import { NO_SAVE_ERRORS, saveErrors } from './saveErrors';
import type { SaveErrors } from './saveErrors';
import { EMPTY_TREE, fromApiTree, toApiTree } from './tree';
import type { ApiGroup } from './tree';
import { useLivePreview } from './useLivePreview';

export type SegmentEditorProps = {
  /** The saved segment, or null for a new one. Mount with `key` = its id: the form starts from it once. */
  segment: SegmentOut | null;
  fields: readonly FieldSpec[];
  maxDepth?: number;
  /** Whether the user may save (viewers see the rules read-only, with the live count: a preview writes nothing). */
  canWrite: boolean;
  onSaved: (segment: SegmentOut, created: boolean) => void;
  /** The first customers the rules match, shown under the builder (the page renders them); `counting`: a newer answer is on its way. */
  sample?: (items: CustomerOut[], counting: boolean) => ReactNode;
  /** Room beside the rules' title for the AI drawer's button (a later issue fills it). */
  assistant?: ReactNode;
};

function sameTree(a: ApiGroup, b: ApiGroup): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A segment's name, description and rules, with the live count above the builder and the count
 * under each top-level condition. Saving creates or updates the segment; the server's refusals land
 * where they belong (the name, the rule its `loc` names).
 */
export function SegmentEditor({ segment, fields, maxDepth = 8, canWrite, onSaved, sample, assistant }: SegmentEditorProps) {
  const savedTree = useMemo(() => (segment === null ? EMPTY_TREE : (segment.rules as ApiGroup)), [segment]);
  const [name, setName] = useState(segment?.name ?? '');
  const [description, setDescription] = useState(segment?.description ?? '');
  const [query, setQuery] = useState<RuleGroupType>(() => fromApiTree(savedTree));
  const [errors, setErrors] = useState<SaveErrors>(NO_SAVE_ERRORS);
  const byName = useMemo(() => new Map(fields.map((f) => [f.name, f])), [fields]);
  const live = useLivePreview(query, byName);
  const create = useCreateSegment();
  const update = useUpdateSegment();
  const saving = create.isPending || update.isPending;

  const currentTree = useMemo(() => toApiTree(query), [query]);
  const trimmedDescription = description.trim() === '' ? null : description.trim();
  const dirty =
    name.trim() !== segment?.name ||
    trimmedDescription !== (segment.description ?? null) ||
    !sameTree(currentTree, toApiTree(fromApiTree(savedTree)));
  const unfinishedCount = Object.keys(live.unfinished).length;

  // Server messages at rules: the preview's 422, or the save's.
  const treeProblems = errors.tree ?? live.invalid;
  const feedback: BuilderFeedback = {
    ruleCounts: live.data?.rule_counts ?? null,
    countsStale: live.stale,
    combinator: query.combinator,
    errors: treeProblems?.byPath ?? {},
    unfinished: live.unfinished,
    showUnfinished: true,
  };

  const onQueryChange = (next: RuleGroupType) => {
    setQuery(next);
    if (errors.tree !== null) setErrors((e) => ({ ...e, tree: null }));
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (name.trim() === '') {
      setErrors({ ...NO_SAVE_ERRORS, name: 'Give the segment a name' });
      return;
    }
    setErrors(NO_SAVE_ERRORS);
    const body = { name: name.trim(), description: trimmedDescription, rules: currentTree };
    const done = {
      onError: (error: unknown) => setErrors(saveErrors(error)),
    };
    if (segment === null) {
      create.mutate(body, { ...done, onSuccess: (saved) => onSaved(saved, true) });
    } else {
      update.mutate({ id: segment.id, body }, { ...done, onSuccess: (saved) => onSaved(saved, false) });
    }
  };

  const general = treeProblems?.general ?? [];
  const saveBlocked = unfinishedCount > 0 ? 'Finish every condition before saving.' : null;

  return (
    <form onSubmit={onSubmit} noValidate aria-label={segment === null ? 'New segment' : `Segment ${segment.name}`}>
      <Stack gap="md">
        <Card withBorder radius="md" padding="md">
          <Stack gap="sm">
            <Group gap="sm" align="flex-start" wrap="wrap">
              <TextInput
                label="Name"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                error={errors.name}
                required
                maxLength={200}
                readOnly={!canWrite}
                style={{ flex: '1 1 240px' }}
              />
              <Textarea
                label="Description"
                value={description}
                onChange={(e) => setDescription(e.currentTarget.value)}
                autosize
                minRows={1}
                maxRows={4}
                maxLength={2000}
                readOnly={!canWrite}
                style={{ flex: '2 1 320px' }}
              />
            </Group>
            {canWrite && (
              <Group justify="flex-end" gap="sm" wrap="wrap">
                {saveBlocked !== null && (
                  <Text size="xs" c="dimmed">
                    {saveBlocked}
                  </Text>
                )}
                <Button type="submit" loading={saving} disabled={!dirty || saveBlocked !== null}>
                  {segment === null ? 'Save segment' : dirty ? 'Save changes' : 'Saved'}
                </Button>
              </Group>
            )}
            {errors.form !== null && (
              <Alert color="red" variant="light" role="alert" title="Could not save the segment">
                {errors.form}
              </Alert>
            )}
          </Stack>
        </Card>

        <Card withBorder radius="md" padding="md" style={{ overflow: 'visible' }}>
          <Stack gap="sm">
            <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
              <Group gap="sm">
                <Title order={2} size="h4">
                  Rules
                </Title>
                {assistant}
              </Group>
              <LiveCount
                count={live.data?.count}
                stale={live.stale}
                counting={live.counting}
                unfinished={unfinishedCount}
                invalid={live.invalid !== null}
                error={live.error}
                onRetry={live.retry}
                tookMs={live.data?.took_ms}
              />
            </Group>
            {general.map((message) => (
              <Alert key={message} color="red" variant="light" role="alert" py="xs">
                {message}
              </Alert>
            ))}
            {query.rules.length === 0 && (
              <Text size="sm" c="dimmed" data-testid="rules-empty">
                No conditions yet: the segment holds every customer. Add a condition, or a group of them.
              </Text>
            )}
            <RuleBuilder
              fields={fields}
              query={query}
              onQueryChange={onQueryChange}
              feedback={feedback}
              disabled={!canWrite}
              maxLevels={maxDepth}
            />
          </Stack>
        </Card>

        {sample !== undefined && live.data !== undefined && sample(live.data.items, live.counting)}
      </Stack>
    </form>
  );
}
