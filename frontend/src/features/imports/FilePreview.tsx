import { Table, Text } from '@mantine/core';

/** The file's first rows as they are, so the user sees what the columns hold before mapping them. */
export function FilePreview({ filename, headers, rows }: { filename: string; headers: readonly string[]; rows: readonly (readonly string[])[] }) {
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="preview-empty">
        {filename} has a header row and no data rows.
      </Text>
    );
  }
  return (
    // Scrolls inside its own box (a file with 70 columns must not widen the page), which the keyboard
    // can reach and scroll too.
    <Table.ScrollContainer
      minWidth={Math.min(headers.length * 140, 4000)}
      maxHeight={360}
      type="native"
      tabIndex={0}
      role="region"
      aria-label={`Preview of ${filename}`}
    >
      <Table
        striped
        withTableBorder
        withColumnBorders
        stickyHeader
        fz="xs"
        aria-label={`First ${String(rows.length)} rows of ${filename}`}
        data-testid="preview-table"
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={48}>
              Row
            </Table.Th>
            {headers.map((header, i) => (
              // Headers may repeat in a file: the index keeps the keys apart.
              <Table.Th key={`${String(i)}-${header}`} scope="col" style={{ whiteSpace: 'nowrap' }}>
                {header === '' ? <Text span c="dimmed" fz="xs">(no name)</Text> : header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row, r) => (
            <Table.Tr key={r}>
              {/* Row numbers as the error file counts them: the header is row 1. */}
              <Table.Td c="dimmed">{r + 2}</Table.Td>
              {headers.map((header, c) => (
                <Table.Td
                  key={`${String(c)}-${header}`}
                  maw={240}
                  style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}
                  title={row[c] ?? ''}
                >
                  {row[c] ?? ''}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
