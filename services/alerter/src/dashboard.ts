// The supervisor dashboard of a scope (a street, a district or the city): read from the per-street
// aggregates the alert scripts keep (lua/library.lua) and the open, state and overdue sets the listings
// read. Its cost grows with the number of streets and days, never with the number of alerts; a street
// unchanged since the last request costs one GET of its version (readStreets).
import type { Redis } from 'ioredis';
import { ALERT_STATES, type AlertState } from '@warnline/contracts';
import { districtOfStreet } from './alert-store.ts';
import { ALERT_LEVELS, type AlertLevel, type Keys } from './keys.ts';
import { dashboardReadResult, queueDashboardRead } from './scripts.ts';
import {
  dayNumber,
  lastDays,
  lastMonths,
  lastWeeks,
  levelsOnDays,
  mergeHistogram,
  summarize,
  type DurationSummary,
  type Histogram,
} from './dashboard-figures.ts';

/** `city`, a district code (6 digits) or a street code (9 digits). */
export type Scope = { kind: 'city' } | { kind: 'district'; code: string } | { kind: 'street'; code: string };

export function scopeName(scope: Scope): string {
  return scope.kind === 'city' ? 'city' : scope.code;
}

/** Months of outcomes and weeks of new alerts the dashboard shows. */
export const OUTCOME_MONTHS = 12;
export const NEW_ALERT_WEEKS = 26;
/** The longest duration window: the scripts keep daily duration histograms a little longer. */
export const MAX_DASHBOARD_DAYS = 90;

export interface Figures {
  /** Open (not closed) alerts by level: one open alert per household, so also households per level. */
  open: Record<AlertLevel, number>;
  openTotal: number;
  /** Alerts per state: the `total` the street listings answer for that state. */
  byState: Record<AlertState, number>;
  /** Open alerts that breached a time limit: the listings' `state=overdue` total. */
  overdue: number;
  /** Acknowledged (closed) within the window: time from opened, median and 90th percentile. */
  timeToAcknowledge: DurationSummary;
  timeToClose: DurationSummary;
}

export interface StreetFigures extends Figures {
  streetCode: string;
  districtCode: string;
}

export interface Dashboard {
  scope: string;
  days: number;
  asOf: string;
  totals: Figures;
  streets: StreetFigures[];
  outcomesByMonth: { month: string; counts: Record<string, number>; total: number }[];
  newByWeek: { weekStart: string; count: number }[];
  /** Open alerts per level at the end of each day of the window (today: now). */
  householdsByLevel: ({ day: string } & Record<AlertLevel, number>)[];
}

interface StreetRead {
  figures: StreetFigures;
  acknowledge: Histogram;
  close: Histogram;
  opened: Record<string, string>;
  outcomes: Record<string, string>;
  levels: Record<AlertLevel, number>[];
}

const zeroLevels = (): Record<AlertLevel, number> =>
  Object.fromEntries(ALERT_LEVELS.map((l) => [l, 0])) as Record<AlertLevel, number>;
const zeroStates = (): Record<AlertState, number> =>
  Object.fromEntries(ALERT_STATES.map((s) => [s, 0])) as Record<AlertState, number>;

/** Street reads kept between requests: every street of a city for a few windows. */
const MAX_KEPT_READS = 4096;

export class DashboardReader {
  /** `<street>|<first day>|<last day>` → the street's figures of that window and the version they are of. */
  private readonly kept = new Map<string, { version: string; read: StreetRead }>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** The streets of a scope: every street that ever had an alert in it (a named street even without). */
  async streetsOf(scope: Scope): Promise<string[]> {
    if (scope.kind === 'street') return [scope.code];
    const known = Object.keys(await this.redis.hgetall(this.keys.streets));
    const inScope = scope.kind === 'city' ? known : known.filter((s) => districtOfStreet(s) === scope.code);
    return inScope.sort();
  }

  async read(scope: Scope, days: number, now: Date): Promise<Dashboard> {
    const streets = await this.streetsOf(scope);
    const window = lastDays(now, days);
    const reads = await this.readStreets(streets, window);

    const totals: Figures = {
      open: zeroLevels(),
      openTotal: 0,
      byState: zeroStates(),
      overdue: 0,
      timeToAcknowledge: summarize(new Map()),
      timeToClose: summarize(new Map()),
    };
    const acknowledge: Histogram = new Map();
    const close: Histogram = new Map();
    const opened = new Map<string, number>();
    const outcomes = new Map<string, Record<string, number>>();
    const levels = window.map((day) => ({ day, ...zeroLevels() }));
    for (const r of reads) {
      for (const level of ALERT_LEVELS) totals.open[level] += r.figures.open[level];
      for (const state of ALERT_STATES) totals.byState[state] += r.figures.byState[state];
      totals.openTotal += r.figures.openTotal;
      totals.overdue += r.figures.overdue;
      mergeHistogram(acknowledge, r.acknowledge);
      mergeHistogram(close, r.close);
      for (const [week, n] of Object.entries(r.opened)) opened.set(week, (opened.get(week) ?? 0) + Number(n));
      for (const [field, n] of Object.entries(r.outcomes)) {
        const month = field.slice(0, 7);
        const outcome = field.slice(8);
        const counts = outcomes.get(month) ?? {};
        counts[outcome] = (counts[outcome] ?? 0) + Number(n);
        outcomes.set(month, counts);
      }
      r.levels.forEach((figures, i) => {
        for (const level of ALERT_LEVELS) levels[i]![level] += figures[level];
      });
    }
    totals.timeToAcknowledge = summarize(acknowledge);
    totals.timeToClose = summarize(close);
    // Today's figure is the live one: the same sets the listings count.
    if (levels.length > 0) Object.assign(levels[levels.length - 1]!, totals.open);

    return {
      scope: scopeName(scope),
      days,
      asOf: now.toISOString(),
      totals,
      streets: reads.map((r) => r.figures),
      outcomesByMonth: lastMonths(now, OUTCOME_MONTHS).map((month) => {
        const counts = outcomes.get(month) ?? {};
        return { month, counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
      }),
      newByWeek: lastWeeks(now, NEW_ALERT_WEEKS).map((weekStart) => ({ weekStart, count: opened.get(weekStart) ?? 0 })),
      householdsByLevel: levels,
    };
  }

  /**
   * Every street's figures of a window. A street's read is kept (per window) under the dash:version it was
   * read at, which every alert script that changes one of its figures raises in the same step; so one
   * pipelined GET per street finds the unchanged ones, and only the changed streets are read again, one
   * read script each, in one pipeline. Every key of a command is one street's: valid on Redis Cluster.
   */
  private async readStreets(streets: string[], window: string[]): Promise<StreetRead[]> {
    const firstDay = dayNumber(window[0]!);
    const lastDay = dayNumber(window[window.length - 1]!);
    const keptKey = (street: string) => `${street}|${firstDay}|${lastDay}`;

    const versionsPipeline = this.redis.pipeline();
    for (const street of streets) versionsPipeline.get(this.keys.street(street).dashboard.version);
    const versions = (await versionsPipeline.exec()) ?? [];
    const out: (StreetRead | undefined)[] = streets.map((street, i) => {
      const [err, version] = versions[i] ?? [new Error('no reply'), null];
      if (err) throw err;
      const kept = this.kept.get(keptKey(street));
      return kept && kept.version === String(version ?? '0') ? kept.read : undefined;
    });

    const changed = streets.filter((_, i) => out[i] === undefined);
    if (changed.length === 0) return out as StreetRead[];
    const pipeline = this.redis.pipeline();
    for (const street of changed) queueDashboardRead(pipeline, { street: this.keys.street(street), firstDay, lastDay });
    const replies = (await pipeline.exec()) ?? [];
    // Old windows (yesterday's, other lengths) are dropped wholesale rather than tracked one by one.
    if (this.kept.size + changed.length > MAX_KEPT_READS) this.kept.clear();
    const fresh = new Map<string, StreetRead>();
    changed.forEach((streetCode, i) => {
      const [err, reply] = replies[i] ?? [new Error('no reply'), null];
      if (err) throw err;
      const r = dashboardReadResult(reply);
      const read: StreetRead = {
        figures: {
          streetCode,
          districtCode: districtOfStreet(streetCode),
          open: r.open,
          openTotal: ALERT_LEVELS.reduce((sum, l) => sum + r.open[l], 0),
          byState: r.byState,
          overdue: r.overdue,
          timeToAcknowledge: summarize(r.acknowledge),
          timeToClose: summarize(r.close),
        },
        acknowledge: r.acknowledge,
        close: r.close,
        opened: r.opened,
        outcomes: r.outcomes,
        levels: levelsOnDays(r.levels, ALERT_LEVELS, window),
      };
      this.kept.set(keptKey(streetCode), { version: r.version, read });
      fresh.set(streetCode, read);
    });
    return streets.map((street, i) => out[i] ?? fresh.get(street)!);
  }
}
