// The dashboard aggregates on the real Redis: the alert scripts keep them as alerts open, change level,
// move and breach (with the times the caller gives), and the reader's figures equal what the listings
// count and the exact durations (quantiles within the 2.5% the buckets allow).
import { describe, expect } from 'vitest';
import { alertJobData } from '@warnline/test';
import { scratchTest } from '@warnline/test/scratch';
import type { Redis } from 'ioredis';
import { AlertStore, type Limits } from '../../src/alert-store.ts';
import { DashboardReader } from '../../src/dashboard.ts';
import { createKeys, type AlertLevel } from '../../src/keys.ts';
import { registerScripts } from '../../src/scripts.ts';

const A = '310113103';
const B = '310113104';
const C = '310115001';
const limits: Limits = {
  acknowledgeWithinMs: 48 * 3_600_000,
  closeWithinMs: 15 * 86_400_000,
  assignWithinWorkingDays: 3,
};
const at = (iso: string) => new Date(iso);
const HOUR = 3600;

/** Nearest-rank quantile of exact values. */
function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

function expectNear(actual: number | null, exact: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - exact)).toBeLessThanOrEqual(exact * 0.025 + 1);
}

class World {
  readonly store: AlertStore;
  readonly reader: DashboardReader;
  private job = 0;

  constructor(redis: Redis, prefix: string) {
    registerScripts(redis);
    const keys = createKeys(prefix);
    this.store = new AlertStore(redis, keys);
    this.reader = new DashboardReader(redis, keys);
  }

  async open(street: string, level: AlertLevel, when: string, householdId?: string): Promise<string> {
    const data = alertJobData({ streetCode: street, level, ...(householdId ? { householdId } : {}) });
    const r = await this.store.ingestJob(`job-${++this.job}`, data, level, at(when), limits);
    if (r.kind === 'stale') throw new Error('stale');
    return r.alertId;
  }

  async move(alertId: string, to: 'acknowledged' | 'investigating' | 'closed', when: string, outcome?: string) {
    const request =
      to === 'closed'
        ? { to, outcome: outcome as 'assistance-granted', note: 'visited' }
        : { to, outcome: undefined, note: undefined };
    const r = await this.store.transition(alertId, request, { name: 'st', role: 'street' }, at(when));
    expect(r.kind).toBe('done');
  }
}

describe('dashboard aggregates', () => {
  scratchTest('follow every change and equal the listings and the exact durations', async ({ scratch }) => {
    const w = new World(scratch.redis, scratch.prefix('wld'));

    // In time order, as the scripts run in production (a day's level figure is the one after its last
    // change). Street A: five households over two weeks (Mondays 2026-03-02 and 2026-03-09); street B in
    // the same district, street C in another.
    const a1 = await w.open(A, 'watch', '2026-03-02T08:00:00.000Z');
    const a2 = await w.open(A, 'watch', '2026-03-02T09:00:00.000Z');
    await w.move(a1, 'acknowledged', '2026-03-02T09:00:00.000Z');
    await w.move(a2, 'acknowledged', '2026-03-02T12:00:00.000Z');
    await w.open(B, 'warning', '2026-03-03T08:00:00.000Z');
    await w.open(C, 'action', '2026-03-03T08:00:00.000Z');
    await w.move(a1, 'investigating', '2026-03-03T08:00:00.000Z');
    await w.move(a2, 'investigating', '2026-03-03T08:00:00.000Z');
    const a3 = await w.open(A, 'warning', '2026-03-04T08:00:00.000Z');
    // a2's household gets a higher-level job: its open alert is raised to action.
    const raisedHousehold = (await w.store.get(a2))!.householdId;
    expect(await w.open(A, 'action', '2026-03-05T10:00:00.000Z', raisedHousehold)).toBe(a2);
    await w.move(a3, 'acknowledged', '2026-03-05T10:00:00.000Z');
    await w.move(a1, 'closed', '2026-03-06T08:00:00.000Z', 'assistance-granted');
    const a4 = await w.open(A, 'action', '2026-03-10T08:00:00.000Z');
    await w.move(a4, 'acknowledged', '2026-03-10T15:00:00.000Z');
    const a5 = await w.open(A, 'warning', '2026-03-11T08:00:00.000Z');
    expect((await w.store.breach(a5, 'acknowledge', at('2026-03-13T08:00:00.000Z'))).kind).toBe('overdue');
    // A breach that fires twice counts once.
    expect((await w.store.breach(a5, 'acknowledge', at('2026-03-13T08:00:01.000Z'))).kind).toBe('in-time');
    await w.move(a2, 'closed', '2026-04-01T09:00:00.000Z', 'charity-referred');
    const acknowledgeSeconds = [1 * HOUR, 3 * HOUR, 26 * HOUR, 7 * HOUR];
    const closeSeconds = [4 * 24 * HOUR, 30 * 24 * HOUR];

    const now = at('2026-04-02T12:00:00.000Z');
    const district = await w.reader.read({ kind: 'district', code: '310113' }, 90, now);
    expect(district.streets.map((s) => s.streetCode)).toEqual([A, B]);
    const streetA = district.streets[0]!;

    // The same numbers the listings give.
    for (const street of district.streets) {
      for (const state of ['new', 'acknowledged', 'investigating', 'closed'] as const)
        expect(street.byState[state]).toBe((await w.store.list(street.streetCode, state, 0, 1)).total);
      expect(street.overdue).toBe((await w.store.list(street.streetCode, 'overdue', 0, 1)).total);
    }
    expect(streetA.open).toEqual({ watch: 0, warning: 2, action: 1 });
    expect(streetA.openTotal).toBe(3);
    expect(streetA.overdue).toBe(1);
    expect(district.totals.open).toEqual({ watch: 0, warning: 3, action: 1 });

    // Durations: exact to the bucket.
    expect(streetA.timeToAcknowledge.count).toBe(4);
    expectNear(streetA.timeToAcknowledge.medianSeconds, exactQuantile(acknowledgeSeconds, 0.5));
    expectNear(streetA.timeToAcknowledge.p90Seconds, exactQuantile(acknowledgeSeconds, 0.9));
    expect(streetA.timeToClose.count).toBe(2);
    expectNear(streetA.timeToClose.medianSeconds, exactQuantile(closeSeconds, 0.5));
    expectNear(streetA.timeToClose.p90Seconds, exactQuantile(closeSeconds, 0.9));
    expect(district.totals.timeToAcknowledge).toEqual(streetA.timeToAcknowledge);

    // The window counts what happened within it: 20 days back from 04-02 leaves only a2's close.
    const recent = await w.reader.read({ kind: 'street', code: A }, 20, now);
    expect(recent.totals.timeToAcknowledge.count).toBe(0);
    expect(recent.totals.timeToClose.count).toBe(1);
    expectNear(recent.totals.timeToClose.medianSeconds, 30 * 24 * HOUR);

    // Outcomes by the month of closing; new alerts by the Monday of their week.
    const month = (m: string) => district.outcomesByMonth.find((o) => o.month === m);
    expect(month('2026-03')).toEqual({ month: '2026-03', counts: { 'assistance-granted': 1 }, total: 1 });
    expect(month('2026-04')).toEqual({ month: '2026-04', counts: { 'charity-referred': 1 }, total: 1 });
    expect(district.outcomesByMonth).toHaveLength(12);
    const week = (d: string) => district.newByWeek.find((x) => x.weekStart === d)?.count;
    expect(week('2026-03-02')).toBe(4); // a1, a2, a3 and B's
    expect(week('2026-03-09')).toBe(2); // a4, a5
    expect(district.newByWeek.reduce((s, x) => s + x.count, 0)).toBe(6);

    // Households per level, day by day, carried over days without a change.
    const day = (d: string) => {
      const row = district.householdsByLevel.find((x) => x.day === d);
      return row && { watch: row.watch, warning: row.warning, action: row.action };
    };
    expect(day('2026-03-01')).toEqual({ watch: 0, warning: 0, action: 0 });
    expect(day('2026-03-02')).toEqual({ watch: 2, warning: 0, action: 0 });
    expect(day('2026-03-03')).toEqual({ watch: 2, warning: 1, action: 0 }); // B's warning
    expect(day('2026-03-04')).toEqual({ watch: 2, warning: 2, action: 0 });
    expect(day('2026-03-05')).toEqual({ watch: 1, warning: 2, action: 1 }); // a2 raised
    expect(day('2026-03-06')).toEqual({ watch: 0, warning: 2, action: 1 }); // a1 closed
    expect(day('2026-03-11')).toEqual({ watch: 0, warning: 3, action: 2 });
    expect(day('2026-04-01')).toEqual({ watch: 0, warning: 3, action: 1 }); // a2 closed
    expect(day('2026-04-02')).toEqual(district.totals.open);

    // The city is every street; another district sees only its own.
    const city = await w.reader.read({ kind: 'city' }, 30, now);
    expect(city.streets.map((s) => s.streetCode)).toEqual([A, B, C]);
    expect(city.totals.open).toEqual({ watch: 0, warning: 3, action: 2 });
    const other = await w.reader.read({ kind: 'district', code: '310115' }, 30, now);
    expect(other.totals.openTotal).toBe(1);
  });

  scratchTest('a kept street read is replaced by every change an alert script makes', async ({ scratch }) => {
    const prefix = scratch.prefix('wlk');
    const w = new World(scratch.redis, prefix);
    // A second reader that keeps nothing between requests: what the first must answer after each change.
    const fresh = () => new DashboardReader(scratch.redis, createKeys(prefix)).read({ kind: 'city' }, 30, now);
    const now = at('2026-04-02T12:00:00.000Z');
    const same = async () => {
      const kept = await w.reader.read({ kind: 'city' }, 30, now);
      expect(kept).toEqual(await fresh());
      return kept;
    };

    const a1 = await w.open(A, 'watch', '2026-04-01T08:00:00.000Z');
    await w.open(C, 'warning', '2026-04-01T08:00:00.000Z');
    expect((await same()).totals.open).toEqual({ watch: 1, warning: 1, action: 0 });
    const a2 = await w.open(A, 'warning', '2026-04-01T09:00:00.000Z');
    expect((await same()).totals.openTotal).toBe(3);
    // A higher-level job for a1's household raises its alert.
    expect(await w.open(A, 'action', '2026-04-01T10:00:00.000Z', (await w.store.get(a1))!.householdId)).toBe(a1);
    expect((await same()).totals.open).toEqual({ watch: 0, warning: 2, action: 1 });
    await w.move(a1, 'acknowledged', '2026-04-01T11:00:00.000Z');
    expect((await same()).totals.timeToAcknowledge.count).toBe(1);
    expect((await w.store.breach(a2, 'acknowledge', at('2026-04-02T10:00:00.000Z'))).kind).toBe('overdue');
    expect((await same()).totals.overdue).toBe(1);
    await w.move(a1, 'investigating', '2026-04-02T08:00:00.000Z');
    await w.move(a1, 'closed', '2026-04-02T09:00:00.000Z', 'assistance-granted');
    const after = await same();
    expect(after.totals.byState.closed).toBe(1);
    expect(after.outcomesByMonth.at(-1)!.counts).toEqual({ 'assistance-granted': 1 });
  });
});
