/** What the progress step says about a running or finished import, in figures and words. */
import { formatInteger } from '@/lib/format';

export type ImportStatus = 'uploaded' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export type ImportFigures = {
  status: ImportStatus;
  rows_total?: number | null;
  rows_done: number;
  rows_imported: number;
  rows_failed: number;
  /** Rows already in ShopCRM as the file has them (a file imported again). */
  rows_unchanged?: number | null;
  rows_per_second?: number | null;
  seconds_left?: number | null;
};

const FINISHED: ReadonlySet<ImportStatus> = new Set(['done', 'failed', 'cancelled']);

/** The import will not change any more: polling stops. */
export function isFinished(status: ImportStatus): boolean {
  return FINISHED.has(status);
}

/** Waiting for a worker or working: the page polls and offers Cancel. */
export function isActive(status: ImportStatus): boolean {
  return status === 'queued' || status === 'running';
}

export const STATUS_LABELS: Record<ImportStatus, string> = {
  uploaded: 'Not started',
  queued: 'Waiting to start',
  running: 'Importing',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const STATUS_COLORS: Record<ImportStatus, string> = {
  uploaded: 'gray',
  queued: 'yellow',
  running: 'blue',
  done: 'green',
  failed: 'red',
  cancelled: 'gray',
};

/** Percent done, 0–100, or null while the number of rows is not known yet. A finished import is whole. */
export function percentDone(figures: ImportFigures): number | null {
  if (figures.status === 'done') return 100;
  const total = figures.rows_total ?? null;
  if (total === null) return null;
  if (total <= 0) return figures.status === 'running' ? 0 : 100;
  return Math.min(100, Math.max(0, (figures.rows_done / total) * 100));
}

/** "1,234 of 5,000 rows", or "1,234 rows so far" before the total is known. */
export function rowsText(figures: ImportFigures): string {
  const total = figures.rows_total ?? null;
  if (total === null) return `${formatInteger(figures.rows_done)} ${plural(figures.rows_done, 'row')} so far`;
  return `${formatInteger(figures.rows_done)} of ${formatInteger(total)} ${plural(total, 'row')}`;
}

/** "12,400 rows/s", or null when there is no rate yet. */
export function rateText(rowsPerSecond: number | null | undefined): string | null {
  if (rowsPerSecond === null || rowsPerSecond === undefined || !Number.isFinite(rowsPerSecond) || rowsPerSecond <= 0) return null;
  const rate = rowsPerSecond < 10 ? Math.round(rowsPerSecond * 10) / 10 : Math.round(rowsPerSecond);
  return `${rate.toLocaleString('en-US')} rows/s`;
}

/** A time left: "less than a second", "45 s", "3 min 20 s", "1 h 5 min"; null when not known. */
export function durationText(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return null;
  const s = Math.round(seconds);
  if (s < 1) return 'less than a second';
  if (s < 60) return `${String(s)} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest === 0 ? `${String(Math.floor(s / 60))} min` : `${String(Math.floor(s / 60))} min ${String(rest)} s`;
  }
  const minutes = Math.round((s % 3600) / 60);
  const hours = Math.floor(s / 3600) + (minutes === 60 ? 1 : 0);
  return minutes === 0 || minutes === 60 ? `${String(hours)} h` : `${String(hours)} h ${String(minutes)} min`;
}

export function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/** The one-sentence outcome of a finished import. */
export function summaryText(figures: ImportFigures): string {
  const imported = `${formatInteger(figures.rows_imported)} ${plural(figures.rows_imported, 'row')} imported`;
  const unchanged = figures.rows_unchanged ?? 0;
  const same = unchanged > 0 ? `, ${formatInteger(unchanged)} already up to date` : '';
  const failed =
    figures.rows_failed > 0 ? `, ${formatInteger(figures.rows_failed)} ${plural(figures.rows_failed, 'row')} with errors` : '';
  switch (figures.status) {
    case 'done':
      return `Import finished: ${imported}${same}${failed}.`;
    case 'cancelled':
      return `Import cancelled: ${imported}${same}${failed} before it stopped. Running the same file again completes it without duplicates.`;
    case 'failed':
      return `Import stopped by an error: ${imported}${same}${failed}. Running the same file again completes it without duplicates.`;
    default:
      return `${imported}${same}${failed}.`;
  }
}
