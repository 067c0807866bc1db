import { Alert, Button, FileButton, Group, Paper, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { DragEvent } from 'react';

import { formatInteger } from '@/lib/format';

import { fileProblem } from './files';
import { IMPORT_KINDS, KIND_DESCRIPTIONS, KIND_LABELS } from './kinds';
import type { ImportKind } from './kinds';

export function StockNote() {
  return (
    <Alert color="blue" variant="light" title="Order history is not a sale today" data-testid="history-note">
      Imported orders keep the dates in the file and count in each customer&apos;s history, segments and reports. They do
      not take stock: stock levels stay as they are.
    </Alert>
  );
}

/**
 * Step 1: what the file holds (customers, orders, products) and the file itself, picked with a
 * button or dropped on the area around it. The upload starts as soon as a file is chosen.
 */
export function UploadStep({
  kind,
  onKindChange,
  onFile,
  uploading,
  error,
}: {
  kind: ImportKind;
  onKindChange: (kind: ImportKind) => void;
  onFile: (file: File) => void;
  /** The file being sent, while it is. */
  uploading: string | null;
  /** Why the last upload was refused (by the server or before sending). */
  error: string | null;
}) {
  const [dragging, setDragging] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);

  const take = (file: File | null) => {
    if (file === null) return;
    const problem = fileProblem(file);
    setLocalError(problem);
    if (problem === null) onFile(file);
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    if (uploading !== null) return;
    take(event.dataTransfer.files[0] ?? null);
  };

  const shownError = localError ?? error;

  return (
    <Stack gap="md">
      <Radio.Group
        label="What does the file hold?"
        value={kind}
        onChange={(value) => {
          const next = IMPORT_KINDS.find((k) => k === value);
          if (next !== undefined) onKindChange(next);
        }}
      >
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" mt="xs">
          {IMPORT_KINDS.map((k) => (
            <Radio.Card
              key={k}
              value={k}
              radius="md"
              p="sm"
              withBorder
              aria-label={KIND_LABELS[k]}
              aria-describedby={`kind-${k}-description`}
              data-testid={`kind-${k}`}
            >
              <Group wrap="nowrap" align="flex-start" gap="sm">
                <Radio.Indicator />
                <div>
                  <Text fw={600} size="sm">
                    {KIND_LABELS[k]}
                  </Text>
                  <Text size="xs" c="dimmed" id={`kind-${k}-description`}>
                    {KIND_DESCRIPTIONS[k]}
                  </Text>
                </div>
              </Group>
            </Radio.Card>
          ))}
        </SimpleGrid>
      </Radio.Group>

      {kind === 'orders' && <StockNote />}

      <Paper
        withBorder
        radius="md"
        p="xl"
        data-testid="drop-area"
        data-dragging={dragging || undefined}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        style={{
          borderStyle: 'dashed',
          borderWidth: 2,
          borderColor: dragging ? 'var(--mantine-primary-color-filled)' : undefined,
          background: dragging ? 'var(--mantine-primary-color-light)' : undefined,
        }}
      >
        <Stack align="center" gap="xs">
          <Text fw={600} ta="center">
            {uploading !== null ? `Uploading ${uploading}…` : 'Drop a CSV file here'}
          </Text>
          <Text size="sm" c="dimmed" ta="center">
            UTF-8 (with or without BOM), comma or semicolon separated, up to {formatInteger(1_000_000)} rows. Shopify
            exports are recognised.
          </Text>
          <FileButton
            onChange={take}
            accept=".csv,text/csv"
            disabled={uploading !== null}
            inputProps={{ 'aria-label': 'CSV file' }}
          >
            {(props) => (
              <Button {...props} loading={uploading !== null} mt="xs">
                Choose a CSV file
              </Button>
            )}
          </FileButton>
        </Stack>
      </Paper>

      {shownError !== null && (
        <Alert color="red" variant="light" title="The file was not accepted" role="alert" data-testid="upload-error">
          {shownError}
        </Alert>
      )}
    </Stack>
  );
}
