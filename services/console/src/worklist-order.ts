// The order and the badges of a street's worklist and of a triage desk, from the alerts as the API answers
// them: overdue first, then the higher level, then the older alert. Pure, so the order is tested without a
// browser.
import { levelRank, type Level } from '@warnline/contracts';
import type { Alert } from './alerter-client.ts';

/** Open and past a time limit: marked overdue by the alerter, or its due date already passed. */
export function isOverdue(alert: Alert, now: Date): boolean {
  if (alert.state === 'closed' || alert.state === 'assigned') return false;
  if (Object.values(alert.overdue).some((at) => at !== null)) return true;
  const due = dueAt(alert);
  return due !== null && Date.parse(due) <= now.getTime();
}

/**
 * The next time limit of an alert: acknowledging a new one, closing one in hand, deciding a triage one; none
 * once closed or assigned (the street alert it became has its own).
 */
export function dueAt(alert: Alert): string | null {
  if (alert.state === 'new') return alert.acknowledgeDueAt;
  if (alert.state === 'triage') return alert.assignDueAt;
  if (alert.state === 'closed' || alert.state === 'assigned') return null;
  return alert.closeDueAt;
}

export type TimeLeft =
  { kind: 'overdue' } | { kind: 'hours'; n: number } | { kind: 'days'; n: number } | { kind: 'none' };

/** Whole hours left under two days (rounded down, so "1 h" never hides 10 minutes), else whole days. */
export function timeLeft(alert: Alert, now: Date): TimeLeft {
  if (isOverdue(alert, now)) return { kind: 'overdue' };
  const due = dueAt(alert);
  if (due === null) return { kind: 'none' };
  const hours = Math.floor((Date.parse(due) - now.getTime()) / 3_600_000);
  return hours < 48 ? { kind: 'hours', n: hours } : { kind: 'days', n: Math.floor(hours / 24) };
}

const rank = (level: string) => levelRank(level as Level);

export function worklistOrder(now: Date): (a: Alert, b: Alert) => number {
  return (a, b) =>
    Number(isOverdue(b, now)) - Number(isOverdue(a, now)) ||
    rank(b.level) - rank(a.level) ||
    Date.parse(a.openedAt) - Date.parse(b.openedAt) ||
    a.alertId.localeCompare(b.alertId);
}
