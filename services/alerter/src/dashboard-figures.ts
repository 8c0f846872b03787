// The supervisor dashboard's arithmetic on the aggregates lua/library.lua keeps: quantiles from duration
// histograms, calendar windows, and a street's daily level figures carried over days without a change.
// Pure (no I/O), so it is tested without Redis.

/** Every duration bucket spans 5%: must equal DASH_BUCKET_GROWTH of lua/library.lua. */
export const DURATION_BUCKET_GROWTH = 1.05;

/** The bucket of a duration, as lua/library.lua computes it. */
export function durationBucket(seconds: number): number {
  return Math.floor(Math.log(1 + Math.max(0, seconds)) / Math.log(DURATION_BUCKET_GROWTH));
}

/** The duration a bucket stands for: its geometric middle, so the error is at most 2.5% either way. */
export function bucketSeconds(bucket: number): number {
  return DURATION_BUCKET_GROWTH ** (bucket + 0.5) - 1;
}

export interface DurationSummary {
  count: number;
  /** Null when no alert was counted. Whole seconds. */
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/** bucket → count. */
export type Histogram = Map<number, number>;

/** Adds `from` into `into`. */
export function mergeHistogram(into: Histogram, from: Histogram): Histogram {
  for (const [bucket, count] of from) into.set(bucket, (into.get(bucket) ?? 0) + count);
  return into;
}

/** Nearest-rank quantiles (0 < q ≤ 1) of a histogram, in whole seconds; null for an empty one. */
export function quantiles(histogram: Histogram, qs: readonly number[]): (number | null)[] {
  const buckets = [...histogram.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const count = buckets.reduce((sum, [, n]) => sum + n, 0);
  return qs.map((q) => {
    if (count === 0) return null;
    const rank = Math.max(1, Math.ceil(q * count));
    let seen = 0;
    for (const [bucket, n] of buckets) {
      seen += n;
      if (seen >= rank) return Math.round(bucketSeconds(bucket));
    }
    return null;
  });
}

export function quantile(histogram: Histogram, q: number): number | null {
  return quantiles(histogram, [q])[0] ?? null;
}

export function summarize(histogram: Histogram): DurationSummary {
  let count = 0;
  for (const n of histogram.values()) count += n;
  const [medianSeconds = null, p90Seconds = null] = quantiles(histogram, [0.5, 0.9]);
  return { count, medianSeconds, p90Seconds };
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The `days` UTC days ending with the day of `now`, oldest first (`YYYY-MM-DD`). */
export function lastDays(now: Date, days: number): string[] {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return Array.from({ length: days }, (_, i) => isoDay(today - (days - 1 - i) * DAY_MS));
}

/** The Mondays of the `weeks` weeks ending with the week of `now`, oldest first (`YYYY-MM-DD`). */
export function lastWeeks(now: Date, weeks: number): string[] {
  const day = Math.floor(now.getTime() / DAY_MS);
  // 1970-01-01 was a Thursday: (day + 3) % 7 is the days since Monday.
  const monday = day - ((day + 3) % 7);
  return Array.from({ length: weeks }, (_, i) => isoDay((monday - (weeks - 1 - i) * 7) * DAY_MS));
}

/** The `months` calendar months ending with the month of `now`, oldest first (`YYYY-MM`). */
export function lastMonths(now: Date, months: number): string[] {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return Array.from({ length: months }, (_, i) => {
    const d = new Date(Date.UTC(y, m - (months - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

/** Day number (days since 1970-01-01) of a `YYYY-MM-DD` date. */
export function dayNumber(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00.000Z`) / DAY_MS);
}

/**
 * A street's open alerts per level on each of `days`, from its daily figures (`YYYY-MM-DD:<n>:<n>:…`, one
 * number per level, oldest first): a day without a change keeps the figure of the last day before it that
 * had one (0 before the first).
 */
export function levelsOnDays<L extends string>(
  members: readonly string[],
  levels: readonly L[],
  days: readonly string[],
): Record<L, number>[] {
  // Plain loops: a city's read runs this for every street over up to 90 days.
  const changes = members
    .map((member) => {
      const parts = member.split(':');
      return { day: parts[0] ?? '', counts: parts.slice(1).map(Number) };
    })
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const out: Record<L, number>[] = new Array(days.length);
  let next = 0;
  let current: readonly number[] = [];
  for (let d = 0; d < days.length; d++) {
    while (next < changes.length && changes[next]!.day <= days[d]!) current = changes[next++]!.counts;
    const row = {} as Record<L, number>;
    for (let i = 0; i < levels.length; i++) row[levels[i]!] = current[i] ?? 0;
    out[d] = row;
  }
  return out;
}
