// District-wide and city-wide listings: every alert of a scope (streets and triage desks), filtered by
// state, level, street and overdue, oldest first. Reads every candidate of the scope and filters in memory:
// a district holds thousands of alerts a year, not millions, and the monthly review wants exact totals.
import { ALERT_STATES, type AlertState } from '@warnline/contracts';
import type { AlertStore, AlertView } from './alert-store.ts';
import type { AlertLevel } from './keys.ts';

export interface ListingFilter {
  /** The district whose streets and triage desk are listed; null: the whole city. */
  districtCode: string | null;
  state?: AlertState | undefined;
  level?: AlertLevel | undefined;
  /** A street or triage desk code. */
  street?: string | undefined;
  /** true: open alerts that breached a time limit; false: every other. */
  overdue?: boolean | undefined;
}

/** An open alert that breached any of its time limits. */
export function isOverdue(alert: AlertView): boolean {
  if (alert.state === 'closed' || alert.state === 'assigned') return false;
  return Object.values(alert.overdue).some((at) => at !== null);
}

/** Does the alert pass the filter's level and overdue tests (scope, street and state are chosen by key)? */
export function passes(alert: AlertView, filter: ListingFilter): boolean {
  if (filter.level !== undefined && alert.level !== filter.level) return false;
  if (filter.overdue !== undefined && isOverdue(alert) !== filter.overdue) return false;
  return true;
}

/** Every alert of the filter, oldest first (then by id). */
export async function findAlerts(store: AlertStore, filter: ListingFilter): Promise<AlertView[]> {
  const streets = [...(await store.knownStreets())]
    .filter(([, district]) => filter.districtCode === null || district === filter.districtCode)
    .map(([street]) => street)
    .filter((street) => filter.street === undefined || street === filter.street);
  const ids = await store.idsIn(streets, filter.state === undefined ? ALERT_STATES : [filter.state]);
  ids.sort((a, b) => a.openedMs - b.openedMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return (await store.views(ids.map((i) => i.id))).filter((alert) => passes(alert, filter));
}
