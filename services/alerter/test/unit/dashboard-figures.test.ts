// The dashboard's arithmetic: quantiles from 5% buckets stay within 2.5% of the exact nearest-rank ones,
// calendar windows end today, and a street's level figures carry over days without a change.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dayNumber,
  durationBucket,
  lastDays,
  lastMonths,
  lastWeeks,
  levelsOnDays,
  quantile,
  summarize,
  type Histogram,
} from '../../src/dashboard-figures.ts';

function histogramOf(values: number[]): Histogram {
  const h: Histogram = new Map();
  for (const v of values) h.set(durationBucket(v), (h.get(durationBucket(v)) ?? 0) + 1);
  return h;
}

function exact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

describe('dashboard figures', () => {
  it('quantiles from the buckets are within 2.5% (and a second) of the exact ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 * 86_400 }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(0.5, 0.9),
        (values, q) => {
          const got = quantile(histogramOf(values), q)!;
          const want = exact(values, q);
          expect(Math.abs(got - want)).toBeLessThanOrEqual(want * 0.025 + 1);
        },
      ),
    );
  });

  it('an empty histogram has a count of 0 and no quantiles', () => {
    expect(summarize(new Map())).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
  });

  it('numbers days from 1970-01-01', () => {
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber('2026-03-01')).toBe(Date.UTC(2026, 2, 1) / 86_400_000);
  });

  it('windows end with the day, week (Monday) and month of now', () => {
    const now = new Date('2026-03-04T23:59:00.000Z'); // a Wednesday
    expect(lastDays(now, 3)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04']);
    expect(lastWeeks(now, 2)).toEqual(['2026-02-23', '2026-03-02']);
    expect(lastMonths(now, 3)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(lastMonths(new Date('2026-01-31T00:00:00.000Z'), 2)).toEqual(['2025-12', '2026-01']);
  });

  it('carries a street level figure over days without a change', () => {
    // Out of order on purpose: the figures are sorted by day.
    const members = ['2026-03-04:1:3', '2026-03-02:2:0'];
    const days = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'];
    expect(levelsOnDays(members, ['watch', 'warning'] as const, days)).toEqual([
      { watch: 0, warning: 0 },
      { watch: 2, warning: 0 },
      { watch: 2, warning: 0 },
      { watch: 1, warning: 3 },
      { watch: 1, warning: 3 },
    ]);
  });
});
