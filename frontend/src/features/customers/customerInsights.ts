/**
 * Wording for a customer's insights: pure functions over what the API returns, so the panel says
 * the same thing whatever the day and the tests can pin it.
 */
import type { ChurnInsight, RfmInsight } from '@/api/client';
import { formatDate, formatInteger, formatMoney } from '@/lib/format';

const DAY_MS = 86_400_000;

function localMidnight(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Whole calendar days from `from` to `to` in local time (negative when `to` is earlier). */
export function calendarDaysBetween(from: Date, to: Date): number {
  return Math.round((localMidnight(to) - localMidnight(from)) / DAY_MS);
}

export type NextOrderText = { value: string; detail: string | null; overdue: boolean };

/** "Overdue by 56 days" for an expected date that has passed, else the date and how far off it is. */
export function nextOrderText(expectedAt: string | null, now: Date = new Date()): NextOrderText {
  if (expectedAt === null) return { value: '—', detail: null, overdue: false };
  const expected = new Date(expectedAt);
  if (Number.isNaN(expected.getTime())) return { value: expectedAt, detail: null, overdue: false };
  const days = calendarDaysBetween(expected, now);
  if (days > 0) {
    return {
      value: `Overdue by ${formatInteger(days)} ${days === 1 ? 'day' : 'days'}`,
      detail: `Was expected ${formatDate(expectedAt)}`,
      overdue: true,
    };
  }
  if (days === 0) return { value: 'Today', detail: formatDate(expectedAt), overdue: false };
  return {
    value: formatDate(expectedAt),
    detail: `In ${formatInteger(-days)} ${days === -1 ? 'day' : 'days'}`,
    overdue: false,
  };
}

/**
 * The RFM note with its money in the store's currency: the API writes "501.71 spent"; this makes
 * it "$501.71 spent". Text that already carries a currency is left alone.
 */
export function rfmBasisWithCurrency(basis: string, currency = 'USD'): string {
  return basis.replace(/(^|[\s(])(\d{1,3}(?:,\d{3})*\.\d{2})(?= spent)/, (_match, before: string, amount: string) => {
    return `${before}${formatMoney(amount.replace(/,/g, ''), currency)}`;
  });
}

export type RfmScore = { key: 'recency' | 'frequency' | 'monetary'; label: string; score: number };

/** The three 1–5 scores, when the API could rank the customer. */
export function rfmScores(rfm: RfmInsight): RfmScore[] {
  const scores: RfmScore[] = [];
  if (rfm.recency !== null) scores.push({ key: 'recency', label: 'Recency', score: rfm.recency });
  if (rfm.frequency !== null) scores.push({ key: 'frequency', label: 'Frequency', score: rfm.frequency });
  if (rfm.monetary !== null) scores.push({ key: 'monetary', label: 'Monetary', score: rfm.monetary });
  return scores;
}

/** RFM groups that sound like good news: beside a raised churn risk they need a word of explanation. */
const GOOD_GROUPS: Record<string, string> = {
  Champions: 'Champion',
  Loyal: 'Loyal customer',
  'Potential loyalists': 'Potential loyalist',
  'New customers': 'New customer',
  Promising: 'Promising customer',
};

/**
 * Why a "Champions" customer can also be at high churn risk: the RFM group ranks them against every
 * other customer by past value, the churn risk against their own buying rhythm. Null when the two
 * do not seem to disagree.
 */
export function reconcileRfmAndChurn({
  rfm,
  churn,
  daysSinceLastOrder,
  typicalGapDays,
}: {
  rfm: RfmInsight;
  churn: ChurnInsight;
  daysSinceLastOrder: number | null;
  typicalGapDays: number | null;
}): string | null {
  const who = GOOD_GROUPS[rfm.group];
  if (who === undefined || (churn.level !== 'medium' && churn.level !== 'high') || daysSinceLastOrder === null) {
    return null;
  }
  const since = `no order for ${formatInteger(daysSinceLastOrder)} days`;
  const usual =
    typicalGapDays !== null && typicalGapDays > 0
      ? `, longer than usual (about every ${formatInteger(typicalGapDays)} days)`
      : '';
  return `${who} by past value, ranked against all customers; ${since}${usual}, hence the ${churn.level} churn risk.`;
}
