import { Badge } from '@mantine/core';
import type { BadgeProps } from '@mantine/core';

import type { Tier } from '@/api/client';
import { humanize } from '@/lib/format';

import { statusColor, TIER_COLORS } from './statusColors';
import type { AnyStatus } from './statusColors';

/** A customer's or an order's status as a coloured badge. */
export function StatusBadge({ status, ...rest }: { status: AnyStatus } & Omit<BadgeProps, 'color'>) {
  return (
    <Badge color={statusColor(status)} variant="light" data-status={status} miw="max-content" {...rest}>
      {humanize(status)}
    </Badge>
  );
}

export function TierBadge({ tier, ...rest }: { tier: Tier } & Omit<BadgeProps, 'color'>) {
  return (
    <Badge color={TIER_COLORS[tier]} variant="outline" data-tier={tier} miw="max-content" {...rest}>
      {humanize(tier)}
    </Badge>
  );
}
