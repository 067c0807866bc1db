import { Alert, Anchor, Badge, Button, Group, Modal, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';

import { formatDateTime, formatInteger } from '@/lib/format';

import { errorFileHref } from './files';
import { KIND_LABELS, KIND_PAGES, parseKind } from './kinds';
import {
  durationText,
  isActive,
  isFinished,
  percentDone,
  rateText,
  rowsText,
  STATUS_COLORS,
  STATUS_LABELS,
  summaryText,
} from './progress';
import type { ImportFigures } from './progress';

export type ImportState = ImportFigures & {
  id: number;
  kind: string;
  filename: string;
  error?: string | null;
  started_at?: string | null;
  finished_at?: string | null;
};

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="sm" data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

export function ImportStatusBadge({ status }: { status: ImportFigures['status'] }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" data-status={status} miw="max-content">
      {STATUS_LABELS[status]}
    </Badge>
  );
}

/** Asks before cancelling: what is kept, and how to finish later. */
function CancelImportModal({
  opened,
  filename,
  pending,
  onConfirm,
  onClose,
}: {
  opened: boolean;
  filename: string;
  pending: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Cancel the import of ${filename}?`} closeButtonProps={{ 'aria-label': 'Close without cancelling' }}>
      <Stack gap="sm">
        <Text size="sm">
          The import stops after the chunk of rows it is working on. Rows already imported stay; nothing is half-written.
        </Text>
        <Text size="sm" c="dimmed">
          Importing the same file again later brings in the rest without duplicating what is already there.
        </Text>
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose} disabled={pending}>
            Keep importing
          </Button>
          <Button color="red" loading={pending} onClick={onConfirm}>
            Cancel import
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * Step 3: a running import's progress (rows done of total, rows per second, time left, imported and
 * failed counts) with Cancel; once finished, what it did, its error file and where to see the rows.
 */
export function ImportProgress({
  importJob,
  onCancel,
  cancelling,
  cancelError,
  onAnother,
}: {
  importJob: ImportState;
  onCancel: () => void;
  cancelling: boolean;
  cancelError: string | null;
  onAnother: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const { status } = importJob;
  const percent = percentDone(importJob);
  const finished = isFinished(status);
  const kind = parseKind(importJob.kind);
  const rate = rateText(importJob.rows_per_second);
  const left = durationText(importJob.seconds_left);

  return (
    <Stack gap="md">
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Group gap="sm" wrap="wrap">
          <Text fw={600} style={{ wordBreak: 'break-all' }}>
            {importJob.filename}
          </Text>
          <Text size="sm" c="dimmed">
            {kind !== null ? KIND_LABELS[kind] : importJob.kind}
          </Text>
        </Group>
        <ImportStatusBadge status={status} />
      </Group>

      <Stack gap={6}>
        <Progress.Root size="xl" radius="md">
          <Progress.Section
            value={percent ?? 100}
            color={status === 'failed' ? 'red' : status === 'cancelled' ? 'gray' : finished ? 'green' : 'blue'}
            // Before the number of rows is known the bar moves without claiming a figure.
            animated={!finished && (percent === null || status === 'running')}
            striped={percent === null}
            aria-label="Import progress"
            {...(percent === null
              ? { withAria: false, role: 'progressbar', 'aria-valuetext': rowsText(importJob) }
              : { withAria: true })}
          />
        </Progress.Root>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text size="sm" data-testid="rows-text">
            {rowsText(importJob)}
            {percent !== null && ` · ${String(Math.floor(percent))}%`}
          </Text>
          {!finished && (
            <Text size="sm" c="dimmed" data-testid="rate-text" aria-live="polite">
              {status === 'queued' ? 'Waiting for the worker…' : [rate, left !== null ? `${left} left` : null].filter((v) => v !== null).join(' · ') || 'Starting…'}
            </Text>
          )}
        </Group>
      </Stack>

      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Figure label="Imported" value={formatInteger(importJob.rows_imported)} testId="rows-imported" />
        <Figure label="With errors" value={formatInteger(importJob.rows_failed)} testId="rows-failed" />
        <Figure label="Started" value={formatDateTime(importJob.started_at ?? null)} testId="started-at" />
        <Figure
          label={finished ? 'Finished' : 'Time left'}
          value={finished ? formatDateTime(importJob.finished_at ?? null) : (left ?? '—')}
          testId="finished-at"
        />
      </SimpleGrid>

      {isActive(status) && (
        <Group gap="sm">
          <Button variant="default" color="red" onClick={() => setConfirming(true)} disabled={cancelling}>
            Cancel import
          </Button>
        </Group>
      )}
      {cancelError !== null && (
        <Alert color="red" variant="light" role="alert" title="Could not cancel">
          {cancelError}
        </Alert>
      )}

      {finished && (
        <Alert
          color={status === 'done' ? (importJob.rows_failed > 0 ? 'yellow' : 'green') : status === 'failed' ? 'red' : 'gray'}
          variant="light"
          title={STATUS_LABELS[status]}
          data-testid="import-summary"
          role="status"
        >
          <Stack gap="xs">
            <Text size="sm">{summaryText(importJob)}</Text>
            {status === 'failed' && importJob.error !== null && importJob.error !== undefined && (
              <Text size="sm" c="red.9">
                {importJob.error}
              </Text>
            )}
            <Group gap="md" wrap="wrap">
              {importJob.rows_failed > 0 && (
                <Anchor href={errorFileHref(importJob.id)} download size="sm" fw={600} data-testid="error-file">
                  Download error file ({formatInteger(importJob.rows_failed)} {importJob.rows_failed === 1 ? 'row' : 'rows'})
                </Anchor>
              )}
              {kind !== null &&
                KIND_PAGES[kind].map((page) => (
                  <Anchor key={page.href} component={Link} to={page.href} size="sm">
                    See {page.label.toLowerCase()}
                  </Anchor>
                ))}
            </Group>
          </Stack>
        </Alert>
      )}

      {finished && (
        <Group>
          <Button onClick={onAnother}>Import another file</Button>
        </Group>
      )}

      <CancelImportModal
        opened={confirming && isActive(status)}
        filename={importJob.filename}
        pending={cancelling}
        onConfirm={() => {
          onCancel();
          setConfirming(false);
        }}
        onClose={() => setConfirming(false)}
      />
    </Stack>
  );
}
