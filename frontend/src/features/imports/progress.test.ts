import { describe, expect, it } from 'vitest';

import { durationText, isActive, isFinished, percentDone, rateText, rowsText, summaryText } from './progress';
import type { ImportFigures } from './progress';

function figures(overrides: Partial<ImportFigures> = {}): ImportFigures {
  return { status: 'running', rows_total: 5000, rows_done: 1234, rows_imported: 1230, rows_failed: 4, ...overrides };
}

describe('progress figures', () => {
  it('gives the share of rows done, whole once done, unknown before the total is known', () => {
    expect(percentDone(figures())).toBeCloseTo(24.68, 5);
    expect(percentDone(figures({ rows_total: null }))).toBeNull();
    expect(percentDone(figures({ status: 'done', rows_total: null }))).toBe(100);
    expect(percentDone(figures({ rows_done: 6000 }))).toBe(100);
    expect(percentDone(figures({ rows_total: 0, rows_done: 0 }))).toBe(0);
  });

  it('says rows done of total, or so far', () => {
    expect(rowsText(figures())).toBe('1,234 of 5,000 rows');
    expect(rowsText(figures({ rows_total: null, rows_done: 1 }))).toBe('1 row so far');
  });

  it('rounds the rate, and has none before the first chunk', () => {
    expect(rateText(12_403.7)).toBe('12,404 rows/s');
    expect(rateText(2.345)).toBe('2.3 rows/s');
    expect(rateText(0)).toBeNull();
    expect(rateText(null)).toBeNull();
    expect(rateText(Number.NaN)).toBeNull();
  });

  it('writes the time left the way people say it', () => {
    expect(durationText(0.4)).toBe('less than a second');
    expect(durationText(45)).toBe('45 s');
    expect(durationText(120)).toBe('2 min');
    expect(durationText(200)).toBe('3 min 20 s');
    expect(durationText(3900)).toBe('1 h 5 min');
    expect(durationText(7199)).toBe('2 h');
    expect(durationText(-1)).toBeNull();
    expect(durationText(undefined)).toBeNull();
  });

  it('knows which statuses still move', () => {
    expect(['queued', 'running'].map((s) => isActive(s as ImportFigures['status']))).toEqual([true, true]);
    expect(['done', 'failed', 'cancelled'].every((s) => isFinished(s as ImportFigures['status']))).toBe(true);
    expect(isFinished('uploaded')).toBe(false);
    expect(isActive('uploaded')).toBe(false);
  });

  it('sums up a finished import', () => {
    expect(summaryText(figures({ status: 'done', rows_imported: 999, rows_failed: 1 }))).toBe(
      'Import finished: 999 rows imported, 1 row with errors.',
    );
    expect(summaryText(figures({ status: 'done', rows_imported: 1, rows_failed: 0 }))).toBe('Import finished: 1 row imported.');
    expect(summaryText(figures({ status: 'cancelled', rows_imported: 10_000, rows_failed: 0 }))).toMatch(
      /^Import cancelled: 10,000 rows imported before it stopped\./,
    );
  });
});

describe('a file imported again', () => {
  it('says how many rows were already up to date', () => {
    expect(summaryText({ status: 'done', rows_done: 10, rows_imported: 0, rows_failed: 0, rows_unchanged: 10 })).toBe(
      'Import finished: 0 rows imported, 10 already up to date.',
    );
  });
});
