/** Number, money and time formatting shared by every page. */

/** Numbers and money use one fixed locale so that figures read the same everywhere (and in tests). */
export const NUMBER_LOCALE = 'en-US';

/** The API counts at most this many rows exactly; above it a count is a lower bound or an estimate. */
export const COUNT_CAP = 10_000;

const integerFormat = new Intl.NumberFormat(NUMBER_LOCALE, { maximumFractionDigits: 0 });

export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

/** An estimate rounded to two significant figures: 268 → 270, 1,542 → 1,500, 19 → 19. */
export function roundEstimate(value: number): number {
  if (value < 100) return Math.round(value);
  const step = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / step) * step;
}

/** "~270": an estimate, rounded. */
export function formatEstimate(value: number): string {
  return `~${formatInteger(roundEstimate(value))}`;
}

/** What a screen reader (and a tooltip) says for an estimate: "about 270 (estimate)". */
export function estimateLabel(value: number): string {
  return `about ${formatInteger(roundEstimate(value))} (estimate)`;
}

/**
 * A total from a list answer. `total_exact: false` means an estimate: below the cap (a search matching many
 * customers) it reads "~N"; at or above it, "more than `total`" ("10,000+").
 */
export function formatTotal(total: number, exact = true): string {
  if (exact) return formatInteger(total);
  return total < COUNT_CAP ? formatEstimate(total) : `${formatInteger(total)}+`;
}

/**
 * A status-tab count: above the cap "10,000+" (the server counts no further); an estimate below it "~N";
 * otherwise the count.
 */
export function formatCount(count: number, exact = true): string {
  if (count > COUNT_CAP) return `${formatInteger(COUNT_CAP)}+`;
  return exact ? formatInteger(count) : formatEstimate(count);
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string): Intl.NumberFormat | null {
  let format = moneyFormats.get(currency);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat(NUMBER_LOCALE, { style: 'currency', currency });
    } catch {
      return null; // not an ISO 4217 code
    }
    moneyFormats.set(currency, format);
  }
  return format;
}

/**
 * A decimal string from the API ("12.50") in its currency ("$12.50"). The string is formatted as is
 * (Intl accepts decimal strings exactly), never through a float. Unknown input is shown unchanged.
 */
export function formatMoney(amount: string | null | undefined, currency = 'USD'): string {
  if (amount === null || amount === undefined || amount.trim() === '') return '—';
  const trimmed = amount.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return amount;
  const format = moneyFormat(currency.toUpperCase());
  if (format === null) return `${trimmed} ${currency}`;
  return format.format(trimmed as `${number}`);
}

/** An ISO UTC timestamp in the user's local time zone and locale. */
export function formatDateTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The local calendar date of an ISO timestamp. */
export function formatDate(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** "pending" → "Pending", "total_spend" → "Total spend". */
export function humanize(value: string): string {
  const text = value.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * "3 lines · 5 units": a line is one product of an order (what the orders list counts), units add
 * up the lines' quantities. One word per meaning, both shown where both matter.
 */
export function formatLinesAndUnits(items: readonly { quantity: number }[]): string {
  const lines = items.length;
  const units = items.reduce((n, item) => n + item.quantity, 0);
  return `${formatLines(lines)} · ${formatInteger(units)} ${units === 1 ? 'unit' : 'units'}`;
}

/** "1 line", "3 lines". */
export function formatLines(lines: number): string {
  return `${formatInteger(lines)} ${lines === 1 ? 'line' : 'lines'}`;
}

/** A calendar day written YYYY-MM-DD (a filter bound), shown as that same day in the user's locale. */
export function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (m === null) return day;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(date.getTime()) ? day : date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}
