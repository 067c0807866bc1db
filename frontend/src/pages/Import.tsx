import { Button, Card, Center, Loader, Stack, Stepper, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';

import {
  importKeys,
  useCancelImport,
  useImport,
  useImportFields,
  useImportList,
  useImportPresets,
  useStartImport,
  useUploadImport,
} from '@/api/queries/imports';
import { QueryError } from '@/components/QueryError';
import { TABLE_BREAKPOINT, useBelow } from '@/components/useBreakpoint';
import { ImportHistoryCards, ImportHistoryTable } from '@/features/imports/ImportHistory';
import { ImportProgress } from '@/features/imports/ImportProgress';
import { parseKind } from '@/features/imports/kinds';
import type { ImportKind } from '@/features/imports/kinds';
import { MappingStep } from '@/features/imports/MappingStep';
import { isFinished } from '@/features/imports/progress';
import { startErrorFrom } from '@/features/imports/startError';
import { UploadStep } from '@/features/imports/UploadStep';

/** The URL names the import on screen, so a reload (or a shared link) shows its progress. */
const IMPORT_PARAM = 'import';
const KIND_PARAM = 'kind';

function parseId(raw: string | null): number | null {
  return raw !== null && /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null;
}

const STEPS = ['File', 'Columns', 'Import'] as const;

/** The rows an import brought in show on these pages: their cached lists are stale once it ends. */
const TOUCHED_DOMAINS = ['customers', 'orders', 'inventory', 'dashboard', 'segments'] as const;

function StepLoader() {
  return (
    <Center py="xl">
      <Loader aria-label="Loading" />
    </Center>
  );
}

function History({ importHref }: { importHref: (id: number) => string }) {
  const list = useImportList();
  const compact = useBelow(TABLE_BREAKPOINT);
  let body;
  if (list.isError) {
    body = <QueryError title="Could not load past imports" error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />;
  } else if (list.data?.items.length === 0) {
    body = (
      <Text size="sm" c="dimmed" data-testid="history-empty">
        No imports yet. The files you import show here, with their error files.
      </Text>
    );
  } else {
    const view = { items: list.data?.items ?? [], loading: list.data === undefined, importHref };
    body = compact ? <ImportHistoryCards {...view} /> : <ImportHistoryTable {...view} />;
  }
  return (
    <Card withBorder radius="md" padding="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Past imports
        </Title>
        {body}
      </Stack>
    </Card>
  );
}

/**
 * Import: pick what the file holds and the file (1), check the preview and map its columns (2),
 * then watch it run (3); the past imports below. Writers only (the registry's `roles`).
 */
export default function ImportPage() {
  const [params, setParams] = useSearchParams();
  const id = parseId(params.get(IMPORT_PARAM));
  const kind: ImportKind = parseKind(params.get(KIND_PARAM)) ?? 'customers';
  const queryClient = useQueryClient();
  const phone = useBelow('sm');

  const upload = useUploadImport();
  const job = useImport(id);
  const presets = useImportPresets();
  const fields = useImportFields(job.data?.status === 'uploaded' ? job.data.kind : null);
  const start = useStartImport();
  const cancel = useCancelImport();

  const setParam = (name: string, value: string | null, replace = false) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === null) next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace },
    );

  const importHref = (importId: number) => `?${IMPORT_PARAM}=${String(importId)}`;

  // The history follows the import on screen (it polls more slowly by itself); once the import ends,
  // the lists it changed are refetched too.
  const settled = useRef<number | null>(null);
  const status = job.data?.status;
  useEffect(() => {
    if (id === null || status === undefined) return;
    void queryClient.invalidateQueries({ queryKey: importKeys.list() });
    if (!isFinished(status) || settled.current === id) return;
    settled.current = id;
    for (const domain of TOUCHED_DOMAINS) void queryClient.invalidateQueries({ queryKey: [domain] });
  }, [id, status, queryClient]);

  const onFile = (file: File) => {
    upload.mutate(
      { file, kind },
      { onSuccess: (answer) => setParam(IMPORT_PARAM, String(answer.id)) },
    );
  };

  const backToStart = () => {
    upload.reset();
    start.reset();
    cancel.reset();
    setParam(IMPORT_PARAM, null);
  };

  // The stepper shows the import whole (every step done) once it has finished.
  const step = id === null ? 0 : status === undefined || status === 'uploaded' ? 1 : isFinished(status) ? 3 : 2;

  const stepName = STEPS.at(step);

  let content;
  if (id === null) {
    content = (
      <UploadStep
        kind={kind}
        onKindChange={(k) => setParam(KIND_PARAM, k, true)}
        onFile={onFile}
        uploading={upload.isPending ? upload.variables.file.name : null}
        error={upload.error?.message ?? null}
      />
    );
  } else if (job.isError) {
    content = (
      <Stack gap="sm">
        <QueryError
          title={job.error.status === 404 ? 'This import does not exist' : 'Could not load the import'}
          error={job.error}
          onRetry={() => void job.refetch()}
          retrying={job.isFetching}
        />
        <div>
          <Button variant="default" onClick={backToStart}>
            Start a new import
          </Button>
        </div>
      </Stack>
    );
  } else if (job.data === undefined) {
    content = <StepLoader />;
  } else if (job.data.status === 'uploaded') {
    const file = job.data;
    if (presets.data === undefined || fields.data === undefined) {
      const error = presets.error ?? fields.error;
      content =
        error !== null ? (
          <QueryError
            title="Could not load the ShopCRM fields"
            error={error}
            onRetry={() => {
              if (presets.isError) void presets.refetch();
              if (fields.isError) void fields.refetch();
            }}
          />
        ) : (
          <StepLoader />
        );
    } else {
      content = (
        <MappingStep
          key={file.id}
          upload={file}
          presets={presets.data}
          fields={fields.data}
          starting={start.isPending}
          startError={start.error !== null ? startErrorFrom(start.error, file.headers) : null}
          onBack={backToStart}
          onStart={(body) => start.mutate({ id: file.id, body })}
        />
      );
    }
  } else {
    const current = job.data;
    content = (
      <ImportProgress
        importJob={current}
        onCancel={() => cancel.mutate(current.id)}
        cancelling={cancel.isPending}
        cancelError={cancel.error?.message ?? null}
        onAnother={backToStart}
      />
    );
  }

  return (
    <Stack gap="md">
      <div>
        <Title order={1}>Import</Title>
        <Text c="dimmed" size="sm">
          Bring customers, orders and products in from a CSV file, such as a Shopify export.
        </Text>
      </div>
      <Card withBorder radius="md" padding="md">
        <Stack gap="lg">
          <Stepper active={step} size="sm" iconSize={32} allowNextStepsSelect={false}>
            {STEPS.map((label) => (
              // On a phone three labels do not fit one line: the numbers do, with the current step named below.
              <Stepper.Step key={label} label={phone ? undefined : label} aria-label={label} allowStepSelect={false} />
            ))}
          </Stepper>
          {phone && stepName !== undefined && (
            <Text size="sm" fw={600} mt={-8}>
              Step {step + 1} of {STEPS.length}: {stepName}
            </Text>
          )}
          {content}
        </Stack>
      </Card>
      <History importHref={importHref} />
    </Stack>
  );
}
