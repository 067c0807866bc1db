/** How forecast figures read on screen, and the product chart's points. */
import type { DailySales, ProductForecastOut } from '@/api/client';

/** Days of cover as a person reads it: "—" when nothing is expected to sell. */
export function formatCover(days: number | null | undefined): string {
  if (days === null || days === undefined) return '—';
  if (days >= 1000) return '999+ d';
  return `${Math.floor(days).toLocaleString('en-US')} d`;
}

/** Units, whole above 10, one decimal below ("0.8", "42"). */
export function formatUnits(units: number | null | undefined): string {
  if (units === null || units === undefined) return '—';
  const digits = Math.abs(units) >= 10 ? 0 : 1;
  return units.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A share as a percentage (0.134 -> "13%"); signed for a bias ("+4%", "-12%"). */
export function formatPercent(share: number | null | undefined, { signed = false } = {}): string {
  if (share === null || share === undefined) return '—';
  const pct = Math.round(share * 100);
  return `${signed && pct > 0 ? '+' : ''}${pct.toLocaleString('en-US')}%`;
}

/** "last 30 days: forecast 42, sold 37, error 14%" */
export function backtestSentence(b: { forecast: number; sold: number; error: number | null }, days: number): string {
  const error = b.error === null ? 'nothing sold' : `error ${formatPercent(b.error)}`;
  return `last ${String(days)} days: forecast ${formatUnits(b.forecast)}, sold ${formatUnits(b.sold)}, ${error}`;
}

function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + n));
  return date.toISOString().slice(0, 10);
}

type Point = { day: string; sold?: number; past?: number; forecast?: number };

/** Units sold per day, the forecast of the held-out days made before them, and the forecast ahead. */
export function forecastChartData(sales: DailySales[], forecast: ProductForecastOut): Point[] {
  const points: Point[] = sales.map((s) => ({ day: s.day, sold: s.units }));
  const b = forecast.backtest;
  if (b !== null) {
    const perDay = b.forecast / 30;
    for (const p of points) if (p.day >= b.first_day && p.day <= b.last_day) p.past = perDay;
  }
  const last = sales.at(-1)?.day;
  if (last !== undefined && forecast.daily_rate !== null) {
    for (let i = 1; i <= 30; i += 1) points.push({ day: addDays(last, i), forecast: forecast.daily_rate });
  }
  return points;
}
