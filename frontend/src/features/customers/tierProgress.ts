import type { TierInfo } from '@/api/client';

/** Where the customer stands between their tier and the next one, 0–100. */
export function tierProgress(tier: TierInfo, lifetimeSpend: string): number {
  if (tier.next_tier === null || tier.spend_to_next === null) return 100;
  const spend = Number(lifetimeSpend);
  const min = Number(tier.min_spend);
  const toNext = Number(tier.spend_to_next);
  const span = spend + toNext - min;
  if (!(span > 0)) return 0;
  return Math.min(100, Math.max(0, ((spend - min) / span) * 100));
}

