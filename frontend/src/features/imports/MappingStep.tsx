import { Alert, Button, Group, List, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';

import { formatInteger } from '@/lib/format';

import { FilePreview } from './FilePreview';
import { KIND_LABELS } from './kinds';
import type { ImportKind } from './kinds';
import {
  blankToNull,
  duplicateColumns,
  mappingForHeaders,
  mappingForPreset,
  missingRequired,
  ORDERS_SIMPLE,
  startProblems,
} from './mapping';
import type { FieldInfo, Mapping, PresetInfo } from './mapping';
import { StockNote } from './UploadStep';

/** The Select's value for "this column is not imported" (a Select value cannot be null and stay visible). */
const SKIP = '__skip__';

export type UploadedFile = {
  id: number;
  filename: string;
  kind: ImportKind;
  headers: string[];
  preview: string[][];
  preset: string | null;
  mapping: Mapping;
};

export type StartRequest = {
  mapping: Mapping;
  preset: string | null;
  options: { product_sku: string | null; product_name: string | null };
};

/** The server's answer to a refused start, shown where it belongs. */
export type StartError = {
  message: string;
  /** Messages about one file column (its header), from the error's details. */
  columns: Record<string, string>;
  productSku: string | null;
  productName: string | null;
  /** Every detail in words, for the alert. */
  details: string[];
};

/**
 * Step 2: the first rows of the file, then one row per file column with the ShopCRM field it goes
 * to. The server's guess is preselected with the preset it recognised; another preset refills the
 * mapping. Start stays disabled, with the reasons listed, until every required field is mapped.
 */
export function MappingStep({
  upload,
  presets,
  fields,
  onStart,
  onBack,
  starting,
  startError,
}: {
  upload: UploadedFile;
  presets: readonly PresetInfo[];
  fields: readonly FieldInfo[];
  onStart: (request: StartRequest) => void;
  onBack: () => void;
  starting: boolean;
  startError: StartError | null;
}) {
  const [preset, setPreset] = useState<string | null>(upload.preset);
  const [mapping, setMapping] = useState<Mapping>(() => mappingForHeaders(upload.headers, upload.mapping));
  const [productSku, setProductSku] = useState('');
  const [productName, setProductName] = useState('');
  const [onlyMapped, setOnlyMapped] = useState(false);

  const kindPresets = presets.filter((p) => p.kind === upload.kind);
  const chosenPreset = kindPresets.find((p) => p.id === preset) ?? null;
  const problems = startProblems({ fields, headers: upload.headers, mapping, preset, productSku });
  const missing = missingRequired(fields, mapping);
  const duplicates = duplicateColumns(upload.headers, mapping);
  const fieldLabel = useMemo(() => new Map(fields.map((f) => [f.id, f.label])), [fields]);
  const options = useMemo(() => [{ value: SKIP, label: 'Not imported' }, ...fields.map((f) => ({ value: f.id, label: f.label }))], [fields]);
  const required = useMemo(() => new Set(fields.filter((f) => f.required).map((f) => f.id)), [fields]);
  const mappedCount = Object.values(mapping).filter((v) => v !== null).length;
  const shownHeaders = upload.headers
    .map((header, index) => ({ header, index }))
    .filter(({ header }) => !onlyMapped || mapping[header] !== null);

  const choosePreset = (value: string | null) => {
    setPreset(value);
    setMapping(mappingForPreset(value, upload.headers, fields, { preset: upload.preset, mapping: upload.mapping }));
  };

  const start = () => {
    const simple = preset === ORDERS_SIMPLE;
    onStart({
      mapping,
      preset,
      options: { product_sku: simple ? blankToNull(productSku) : null, product_name: simple ? blankToNull(productName) : null },
    });
  };

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={2} size="h4">
          Preview
        </Title>
        <Text size="sm" c="dimmed">
          The first {formatInteger(upload.preview.length)} rows of <strong>{upload.filename}</strong> ({KIND_LABELS[upload.kind].toLowerCase()}).
        </Text>
        <FilePreview filename={upload.filename} headers={upload.headers} rows={upload.preview} />
      </Stack>

      <Stack gap="sm">
        <Title order={2} size="h4">
          Columns
        </Title>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label="Format"
            description={upload.preset !== null ? 'Recognised from the file’s headers.' : 'No known format recognised: map the columns yourself.'}
            placeholder="Custom"
            data={kindPresets.map((p) => ({ value: p.id, label: p.label }))}
            value={preset}
            onChange={choosePreset}
            clearable
            w={{ base: '100%', sm: 320 }}
            data-testid="preset-select"
          />
          <Switch
            label={`Only mapped columns (${formatInteger(mappedCount)} of ${formatInteger(upload.headers.length)})`}
            checked={onlyMapped}
            onChange={(event) => setOnlyMapped(event.currentTarget.checked)}
            mb={6}
          />
        </Group>
        {chosenPreset !== null && (
          <Text size="sm" c="dimmed" data-testid="preset-description">
            {chosenPreset.description}
          </Text>
        )}

        {preset === ORDERS_SIMPLE && (
          <Group align="flex-start" gap="sm" wrap="wrap">
            <TextInput
              label="Product SKU"
              description="The file has no line items: each order is booked as one line of this product, at the order's total."
              placeholder="e.g. HISTORY-1"
              value={productSku}
              onChange={(event) => setProductSku(event.currentTarget.value)}
              error={startError?.productSku ?? undefined}
              required
              w={{ base: '100%', sm: 340 }}
              maxLength={64}
            />
            <TextInput
              label="Product name"
              description="Used when ShopCRM creates the product (default: its SKU)."
              value={productName}
              onChange={(event) => setProductName(event.currentTarget.value)}
              error={startError?.productName ?? undefined}
              w={{ base: '100%', sm: 340 }}
              maxLength={200}
            />
          </Group>
        )}

        <Table.ScrollContainer minWidth={0} type="native">
          <Table verticalSpacing="xs" aria-label="Column mapping" data-testid="mapping-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Column in the file</Table.Th>
                <Table.Th scope="col" visibleFrom="sm">
                  First value
                </Table.Th>
                <Table.Th scope="col">ShopCRM field</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shownHeaders.map(({ header, index }) => {
                const value = mapping[header] ?? null;
                const duplicateOf = duplicates.get(header);
                const serverError = startError?.columns[header];
                const error =
                  serverError ??
                  (duplicateOf !== undefined
                    ? `${fieldLabel.get(value ?? '') ?? ''} already comes from “${duplicateOf}”`
                    : undefined);
                const sample = upload.preview[0]?.[index] ?? '';
                return (
                  <Table.Tr key={`${String(index)}-${header}`} data-testid="mapping-row" data-header={header}>
                    <Table.Td style={{ wordBreak: 'break-word' }}>
                      <Text size="sm" fw={500}>
                        {header === '' ? '(no name)' : header}
                      </Text>
                    </Table.Td>
                    <Table.Td visibleFrom="sm" maw={220} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                      <Text size="sm" c="dimmed" span title={sample}>
                        {sample}
                      </Text>
                    </Table.Td>
                    <Table.Td w={{ base: '55%', sm: 300 }}>
                      <Select
                        aria-label={`ShopCRM field for column ${header === '' ? String(index + 1) : header}`}
                        data={options}
                        value={value ?? SKIP}
                        onChange={(next) => setMapping((m) => ({ ...m, [header]: next === null || next === SKIP ? null : next }))}
                        allowDeselect={false}
                        searchable
                        // "required" beside the option, not in its label: the chosen value stays short on a phone.
                        renderOption={({ option }) => (
                          <Group justify="space-between" gap="xs" wrap="nowrap" w="100%">
                            <span>{option.label}</span>
                            {required.has(option.value) && (
                              <Text span size="xs" c="dimmed">
                                required
                              </Text>
                            )}
                          </Group>
                        )}
                        size="xs"
                        error={error}
                        comboboxProps={{ withinPortal: true }}
                      />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>

      {upload.kind === 'orders' && <StockNote />}

      {missing.length > 0 && (
        <Alert color="red" variant="light" title="Required fields not mapped" data-testid="missing-fields">
          <List size="sm">
            {missing.map((f) => (
              <List.Item key={f.id}>
                {f.label}
                {f.help !== undefined && f.help !== null && f.help !== '' ? ` — ${f.help}` : ''}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}

      {startError !== null && (
        <Alert color="red" variant="light" title="The import could not start" role="alert" data-testid="start-error">
          <Text size="sm">{startError.message}</Text>
          {startError.details.length > 0 && (
            <List size="sm" mt={4}>
              {startError.details.map((d) => (
                <List.Item key={d}>{d}</List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}

      <Group justify="space-between" gap="sm">
        <Button variant="default" onClick={onBack} disabled={starting}>
          Choose another file
        </Button>
        <Stack gap={4} align="flex-end">
          <Button onClick={start} disabled={problems.length > 0} loading={starting} aria-describedby={problems.length > 0 ? 'start-problems' : undefined}>
            Start import
          </Button>
        </Stack>
      </Group>
      {problems.length > 0 && (
        <Text id="start-problems" size="sm" c="red.8" ta="right" data-testid="start-problems">
          {problems.join(' ')}
        </Text>
      )}
    </Stack>
  );
}
