// Every Redis key of the alerter's records, built here and nowhere else, so the hash tags that keep a street's
// keys in one Redis Cluster slot cannot be forgotten by a caller.
// A street's keys share the hash tag {st:<streetCode>}: every Lua script touches the keys of one street
// only, so every script stays valid on Redis Cluster. The BullMQ queues live under QUEUE_PREFIX and are
// named by @warnline/contracts, not here.
import { ALERT_STATES, serviceError, STREET_CODE, type AlertState, type Level } from '@warnline/contracts';

/** The per-street counter part of an alert id: at least 6 digits. */
const ALERT_NUMBER = /^\d{6,}$/;

/** Levels an alert can have ('none' never raises one). Order = KEYS order of the scripts. */
export const ALERT_LEVELS = ['watch', 'warning', 'action'] as const satisfies readonly Level[];
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export interface StreetKeys {
  /** Hash: street-queue job id → alertId. Every job ever recorded; the record-side dedup. */
  jobs: string;
  /** Hash: householdId → alertId of the household's open (not closed) alert. At most one per household. */
  open: string;
  /** String counter: the last alert number handed out in this street. */
  seq: string;
  /** List: JSON audit events whose side effects (Kafka, timers, escalation, referral) may not be done yet. */
  outbox: string;
  /** Sorted set: alertIds of open alerts that breached a time limit, scored by when they were opened. */
  overdue: string;
  /** Sorted set per state: alertIds scored by when they were opened. */
  state: Record<AlertState, string>;
  /** Sorted set per level: alertIds of open alerts, scored by when they were opened. */
  openLevel: Record<AlertLevel, string>;
  /** The dashboard aggregates, kept by lua/library.lua (the layout is described there). */
  dashboard: DashboardKeys;
}

export interface DashboardKeys {
  /** Hash: Monday `YYYY-MM-DD` → alerts opened that week. */
  opened: string;
  /** Hash: `YYYY-MM:<outcome>` → alerts closed that month with that outcome. */
  outcomes: string;
  /** Sorted set by day number: `YYYY-MM-DD:<watch>:<warning>:<action>` after the day's last change. */
  levels: string;
  /** Hash: duration bucket → alerts ever acknowledged with that time from opening. */
  acknowledgeDurations: string;
  /** Hash: duration bucket → alerts ever closed with that time from opening. */
  closeDurations: string;
  /** Sorted set: day numbers with a duration counted; `<…Durations>:before:<day>` hold the totals before it. */
  durationDays: string;
  /** String counter: raised by every change to a figure the dashboard reads of the street. */
  version: string;
}

export interface AlertKeys {
  /** Hash: the alert record (state, level, outcome, times, latest job data as JSON). */
  alert: string;
  /** List: JSON audit events, oldest first. Appended, never trimmed. */
  history: string;
}

export interface Keys {
  street(streetCode: string): StreetKeys;
  alert(alertId: string): AlertKeys;
  /** Hash: streetCode → districtCode of every street (and triage desk) that ever had an alert (worker and relay registry). */
  streets: string;
  /** String counter: reveals a token name made in one fixed window (window number = ms since epoch / window). */
  revealRate(user: string, window: number): string;
}

/** `310113103-000042` → `310113103`: an alert id names its street, so its keys can be found from the id. */
export function streetOfAlert(alertId: string): string | null {
  const dash = alertId.indexOf('-');
  const street = alertId.slice(0, dash);
  return dash > 0 && STREET_CODE.test(street) && ALERT_NUMBER.test(alertId.slice(dash + 1)) ? street : null;
}

export function formatAlertId(streetCode: string, n: number): string {
  return `${streetCode}-${String(n).padStart(6, '0')}`;
}

export function createKeys(prefix: string): Keys {
  const base = (street: string) => `${prefix}:alerter:{st:${street}}`;
  return {
    street(streetCode) {
      const b = base(streetCode);
      return {
        jobs: `${b}:jobs`,
        open: `${b}:open`,
        seq: `${b}:seq`,
        outbox: `${b}:outbox`,
        overdue: `${b}:overdue`,
        state: Object.fromEntries(ALERT_STATES.map((state) => [state, `${b}:state:${state}`])) as Record<
          AlertState,
          string
        >,
        openLevel: { watch: `${b}:open:watch`, warning: `${b}:open:warning`, action: `${b}:open:action` },
        dashboard: {
          opened: `${b}:dash:opened`,
          outcomes: `${b}:dash:outcomes`,
          levels: `${b}:dash:levels`,
          acknowledgeDurations: `${b}:dash:acknowledge`,
          closeDurations: `${b}:dash:close`,
          durationDays: `${b}:dash:durations:days`,
          version: `${b}:dash:version`,
        },
      };
    },
    alert(alertId) {
      const street = streetOfAlert(alertId);
      if (street === null) throw serviceError('NOT_AN_ALERT_ID');
      const b = `${base(street)}:alert:${alertId}`;
      return { alert: b, history: `${b}:history` };
    },
    streets: `${prefix}:alerter:streets`,
    revealRate: (user, window) => `${prefix}:alerter:reveal-rate:${user}:${window}`,
  };
}
