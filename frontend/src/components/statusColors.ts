import type { CustomerStatus, OrderStatus, Tier } from '@/api/client';

export type AnyStatus = CustomerStatus | OrderStatus;

/** One colour per status, customers and orders alike. */
export const STATUS_COLORS: Record<AnyStatus, string> = {
  active: 'green',
  inactive: 'gray',
  archived: 'dark',
  pending: 'yellow',
  paid: 'blue',
  processing: 'indigo',
  shipped: 'cyan',
  delivered: 'green',
  cancelled: 'red',
  refunded: 'orange',
};

export function statusColor(status: string): string {
  return status in STATUS_COLORS ? STATUS_COLORS[status as AnyStatus] : 'gray';
}

export const TIER_COLORS: Record<Tier, string> = {
  bronze: 'orange',
  silver: 'gray',
  gold: 'yellow',
  platinum: 'violet',
};

