// Calendar helpers. The calendar is Asia/Shanghai (docs/contracts.md, Conventions): China has had no daylight
// saving since 1991, so Shanghai time is UTC+08:00 all year and a fixed offset is exact.

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const MONTH_PATTERN = /^\d{4}-\d{2}$/;
/** ISO-8601 instant with an explicit offset (Z or ±hh:mm). */
export const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** True for a real calendar date in YYYY-MM-DD (rejects 2024-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!DATE_PATTERN.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function isInstant(value: string): boolean {
  return INSTANT_PATTERN.test(value) && !Number.isNaN(Date.parse(value));
}

/** The Shanghai calendar date of an instant. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** "2024-03-15" → "2024-03". */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** Month arithmetic on "YYYY-MM": addMonths("2024-01", -1) → "2023-12". */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  const year = Math.floor(index / 12);
  const mon = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(mon).padStart(2, '0')}`;
}

/** Months between two "YYYY-MM" values: monthsBetween("2023-12", "2024-02") → 2. */
export function monthsBetween(from: string, to: string): number {
  const [y1, m1] = from.split('-').map(Number) as [number, number];
  const [y2, m2] = to.split('-').map(Number) as [number, number];
  return y2 * 12 + m2 - (y1 * 12 + m1);
}

/**
 * Months of claims the accumulator keeps, by default: the 12-month window of docs/contracts.md plus 2 months of
 * margin, so that a claim settled late (or a reversal of one) still finds its month while it can matter.
 * Ingest refuses older service dates with SERVICE_DATE_TOO_OLD; both services read RETENTION_MONTHS.
 */
export const DEFAULT_RETENTION_MONTHS = 14;

/**
 * The first month still kept when today (Shanghai) is `today` and `retentionMonths` months are kept,
 * counting the current month: oldestRetainedMonth("2024-06-15", 14) → "2023-05".
 */
export function oldestRetainedMonth(today: string, retentionMonths: number): string {
  if (!Number.isSafeInteger(retentionMonths) || retentionMonths < 1)
    throw new RangeError('retentionMonths must be a positive integer');
  return addMonths(monthOf(today), -(retentionMonths - 1));
}
