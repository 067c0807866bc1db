import {
  Alert,
  Button,
  Group,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';

import type { MovementKind, ProductOut } from '@/api/client';
import { formErrorsFromApi } from '@/api/formErrors';
import { useAdjustStock, useProductDetails, useProductMovements, useUpdateProduct } from '@/api/queries/inventory';
import { DetailContent, DetailDrawer } from '@/components/DetailDrawer';
import { formatDateTime, formatInteger, formatMoney } from '@/lib/format';

import { adjustmentErrors, productErrors } from './forms';
import { ProductForecast } from './ProductForecast';
import { StockBadge } from './StockBadge';

const KIND_LABELS: Record<MovementKind, string> = {
  opening: 'Opening balance',
  order_taken: 'Order taken',
  order_returned: 'Order returned',
  received: 'Received',
  correction: 'Counted correction',
};

/** Only the fields that have a message. */
function compact(errors: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(errors)) if (value !== undefined) out[key] = value;
  return out;
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </div>
  );
}

function AdjustForm({ product }: { product: ProductOut }) {
  const adjust = useAdjustStock();
  const [kind, setKind] = useState<'received' | 'correction'>('received');
  const [amount, setAmount] = useState<number | string>('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);

  const submit = (event: { preventDefault: () => void }) => {
    event.preventDefault();
    const found = adjustmentErrors({ kind, amount, reason });
    setErrors(found);
    setMessage(null);
    if (Object.keys(found).length > 0) return;
    const n = amount as number;
    const body = kind === 'received' ? { kind, quantity: n, reason: reason.trim() } : { kind, counted: n, reason: reason.trim() };
    adjust.mutate(
      { id: product.id, body },
      {
        onSuccess: (out) => {
          setAmount('');
          setReason('');
          setMessage(`Stock is now ${formatInteger(out.product.stock)}.`);
        },
        onError: (error) => {
          const { fields, formMessage } = formErrorsFromApi(error, ['quantity', 'counted', 'reason', 'kind']);
          setErrors(compact({ amount: fields.quantity ?? fields.counted, reason: fields.reason }));
          setMessage(formMessage);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} aria-label="Change stock" noValidate>
      <Stack gap="xs">
        <Title order={3} size="h5">
          Change stock
        </Title>
        <SegmentedControl<'received' | 'correction'>
          value={kind}
          onChange={setKind}
          data={[
            { value: 'received', label: 'Receive stock' },
            { value: 'correction', label: 'Correct count' },
          ]}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          <NumberInput
            label={kind === 'received' ? 'Units received' : 'Counted stock'}
            value={amount}
            onChange={setAmount}
            min={kind === 'received' ? 1 : 0}
            allowDecimal={false}
            allowNegative={false}
            error={errors.amount}
          />
          <TextInput
            label="Reason"
            placeholder={kind === 'received' ? 'Delivery note, PO number' : 'Stocktake'}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            maxLength={500}
            error={errors.reason}
          />
        </SimpleGrid>
        {message !== null && (
          <Alert color={adjust.isError ? 'red' : 'teal'} variant="light" role="status">
            {message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={adjust.isPending}>
            {kind === 'received' ? 'Receive' : 'Save count'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EditForm({ product }: { product: ProductOut }) {
  const update = useUpdateProduct();
  const [price, setPrice] = useState(product.price);
  const [cost, setCost] = useState(product.cost ?? '');
  const [threshold, setThreshold] = useState<number | string>(product.low_stock_threshold);
  const [leadDays, setLeadDays] = useState<number | string>(product.reorder_lead_days);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);

  const submit = (event: { preventDefault: () => void }) => {
    event.preventDefault();
    const found = productErrors({ price, cost, threshold, leadDays });
    setErrors(found);
    setMessage(null);
    if (Object.keys(found).length > 0) return;
    update.mutate(
      {
        id: product.id,
        body: {
          price: price.trim(),
          cost: cost.trim() === '' ? null : cost.trim(),
          low_stock_threshold: threshold as number,
          reorder_lead_days: leadDays as number,
        },
      },
      {
        onSuccess: () => setMessage('Saved.'),
        onError: (error) => {
          const { fields, formMessage } = formErrorsFromApi(error);
          setErrors(
            compact({
              price: fields.price,
              cost: fields.cost,
              threshold: fields.low_stock_threshold,
              leadDays: fields.reorder_lead_days,
            }),
          );
          setMessage(formMessage);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} aria-label="Edit product" noValidate>
      <Stack gap="xs">
        <Title order={3} size="h5">
          Price and reordering
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          <TextInput label="Price" value={price} onChange={(e) => setPrice(e.currentTarget.value)} error={errors.price} />
          <TextInput
            label="Cost"
            value={cost}
            onChange={(e) => setCost(e.currentTarget.value)}
            error={errors.cost}
            placeholder="Not set"
          />
          <NumberInput
            label="Low-stock threshold"
            value={threshold}
            onChange={setThreshold}
            min={0}
            allowDecimal={false}
            allowNegative={false}
            error={errors.threshold}
          />
          <NumberInput
            label="Lead time (days)"
            value={leadDays}
            onChange={setLeadDays}
            min={0}
            max={3650}
            allowDecimal={false}
            allowNegative={false}
            error={errors.leadDays}
          />
        </SimpleGrid>
        {message !== null && (
          <Alert color={update.isError ? 'red' : 'teal'} variant="light" role="status">
            {message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" variant="light" loading={update.isPending}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Movements({ productId }: { productId: number }) {
  const movements = useProductMovements(productId);
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        Stock movements
      </Title>
      <DetailContent query={movements} noun="stock movements" skeleton={<Skeleton height={120} />}>
        {(page) =>
          page.items.length === 0 ? (
            <Text c="dimmed">No stock movements yet.</Text>
          ) : (
            <Table.ScrollContainer minWidth={480}>
              <Table aria-label="Stock movements" verticalSpacing={4} fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>When</Table.Th>
                    <Table.Th>What</Table.Th>
                    <Table.Th ta="right">Change</Table.Th>
                    <Table.Th ta="right">Stock after</Table.Th>
                    <Table.Th>Reason</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((m) => (
                    <Table.Tr key={m.id} data-testid="movement-row">
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(m.created_at)}</Table.Td>
                      <Table.Td>{KIND_LABELS[m.kind]}</Table.Td>
                      <Table.Td ta="right" c={m.quantity < 0 ? 'red' : 'teal'}>
                        {m.quantity > 0 ? `+${formatInteger(m.quantity)}` : formatInteger(m.quantity)}
                      </Table.Td>
                      <Table.Td ta="right">{formatInteger(m.stock_after)}</Table.Td>
                      <Table.Td>{m.reason ?? (m.order_id !== null ? `Order #${String(m.order_id)}` : '')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </DetailContent>
    </Stack>
  );
}

/** A product's panel: its figures and sales, the stock and price forms (writers), and its ledger. */
export function ProductDrawer({ productId, onClose, canWrite }: { productId: number | null; onClose: () => void; canWrite: boolean }) {
  const details = useProductDetails(productId);
  return (
    <DetailDrawer opened={productId !== null} onClose={onClose} title={details.data?.product.name ?? 'Product'} closeLabel="Close product">
      {productId !== null && (
        <DetailContent query={details} noun="product" skeleton={<Skeleton height={200} />}>
          {(data) => (
            <Stack gap="lg">
              <Group gap="xs">
                <Text ff="monospace">{data.product.sku}</Text>
                <Text c="dimmed">· {data.product.category}</Text>
                <StockBadge state={data.product.stock_state} />
              </Group>
              <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
                <Figure label="In stock" value={formatInteger(data.product.stock)} />
                <Figure label="Price" value={formatMoney(data.product.price)} />
                <Figure label="Cost" value={formatMoney(data.product.cost)} />
                <Figure label="Sold, last 30 days" value={formatInteger(data.units_30d)} />
                <Figure label="Per day (30 d)" value={data.velocity_30d.toFixed(2)} />
                <Figure label="Sold, last 90 days" value={formatInteger(data.units_90d)} />
                <Figure label="Per day (90 d)" value={data.velocity_90d.toFixed(2)} />
              </SimpleGrid>
              <ProductForecast forecast={data.forecast} sales={data.sales} />
              {canWrite && <AdjustForm key={`adjust-${String(data.product.id)}`} product={data.product} />}
              {canWrite && <EditForm key={`edit-${String(data.product.id)}-${data.product.updated_at}`} product={data.product} />}
              <Movements productId={data.product.id} />
            </Stack>
          )}
        </DetailContent>
      )}
    </DetailDrawer>
  );
}
