// The caseworker's record: alerts, their state and their history, kept in Redis. BullMQ jobs deliver
// alerts; this store is what the street office works from. Every change is one Lua script (state, indices,
// history and outbox together), so a crash never leaves an alert half-changed.
import type { Redis } from 'ioredis';
import {
  serviceError,
  AlertAuditEventSchema,
  ALERT_STATES,
  type AlertAuditEvent,
  type AlertJobData,
  type AlertState,
  type Breach,
  maskIdentityNumbersIn,
} from '@warnline/contracts';
import { ALERT_LEVELS, formatAlertId, streetOfAlert, type Keys } from './keys.ts';
import { TRANSITIONS, nextStates, type TransitionRequest } from './lifecycle.ts';
import {
  breach,
  ingestJob,
  transition,
  type BreachResult,
  type IngestResult,
  type TransitionResult,
} from './scripts.ts';

export interface Actor {
  name: string;
  role: 'street' | 'district' | 'admin' | 'system';
}

/** An alert as the API shows it. */
export interface AlertView {
  alertId: string;
  householdId: string;
  streetCode: string;
  districtCode: string;
  state: AlertState;
  level: string;
  outcome: string | null;
  note: string | null;
  openedAt: string;
  acknowledgedAt: string | null;
  investigatingAt: string | null;
  closedAt: string | null;
  acknowledgeDueAt: string;
  closeDueAt: string;
  overdue: { acknowledge: string | null; close: string | null };
  /** How many street-queue jobs this alert absorbed (1 + re-raises and level raises). */
  jobs: number;
  /** The transitions a caseworker may make now. */
  next: string[];
  /**
   * The latest (highest-level) decision: findings with citations, burden, income, window, assistance, and its
   * warnings (stale or unconfirmed yearly figures; empty for jobs raised before they were carried).
   */
  decision: Pick<
    AlertJobData,
    | 'findings'
    | 'burden12m'
    | 'burdenByMonth'
    | 'income'
    | 'burdenRatio'
    | 'window'
    | 'assistance'
    | 'ruleSet'
    | 'raisedAt'
  > & { warnings: NonNullable<AlertJobData['warnings']> };
}

export type ListFilter = AlertState | 'overdue';

export interface Limits {
  acknowledgeWithinMs: number;
  closeWithinMs: number;
}

/**
 * A street's district is the first 6 digits of its code (GB/T 2260 district + 3 digits), never what a job
 * says: scopes follow the code structure, so no record can hand a street to another district's token.
 */
export function districtOfStreet(streetCode: string): string {
  return streetCode.slice(0, 6);
}

export class AlertStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** Records a street-queue job; redelivery-safe (the job id is remembered forever). */
  async ingestJob(
    jobId: string,
    data: AlertJobData,
    level: (typeof ALERT_LEVELS)[number],
    now: Date,
    limits: Limits,
  ): Promise<IngestResult> {
    const street = this.keys.street(data.streetCode);
    const district = districtOfStreet(data.streetCode);
    await this.redis.hset(this.keys.streets, data.streetCode, district);
    // Optimistic: read which alert is open, then let the script confirm it is still so. Only a racing
    // close of the same household's alert can make it retry.
    for (let attempt = 0; attempt < 10; attempt++) {
      const open = await this.redis.hget(street.open, data.householdId);
      const alertId = open ?? formatAlertId(data.streetCode, await this.redis.incr(street.seq));
      const result = await ingestJob(this.redis, {
        street,
        alert: this.keys.alert(alertId),
        jobId,
        householdId: data.householdId,
        alertId,
        seen: open === null ? 'new' : 'existing',
        level,
        dataJson: JSON.stringify(data),
        now,
        streetCode: data.streetCode,
        districtCode: district,
        acknowledgeDueAt: new Date(now.getTime() + limits.acknowledgeWithinMs),
        closeDueAt: new Date(now.getTime() + limits.closeWithinMs),
      });
      if (result.kind !== 'stale') return result;
    }
    throw serviceError('ALERT_CONTENDED');
  }

  async transition(alertId: string, request: TransitionRequest, actor: Actor, now: Date): Promise<TransitionResult> {
    const street = streetOfAlert(alertId);
    if (street === null) return { kind: 'not-found' };
    const t = TRANSITIONS[request.to];
    return transition(this.redis, {
      street: this.keys.street(street),
      alert: this.keys.alert(alertId),
      alertId,
      from: t.from,
      to: request.to,
      action: t.action,
      outcome: request.outcome ?? '',
      // The note is the one free text a person types; identity numbers in it are masked before anything
      // (record, history, outbox, audit, referral) holds it.
      note: maskIdentityNumbersIn(request.note?.trim() ?? ''),
      actorName: actor.name,
      actorRole: actor.role,
      now,
    });
  }

  async breach(alertId: string, which: Breach, now: Date): Promise<BreachResult> {
    const street = streetOfAlert(alertId);
    if (street === null) return { kind: 'not-found' };
    return breach(this.redis, {
      street: this.keys.street(street),
      alert: this.keys.alert(alertId),
      alertId,
      breach: which,
      now,
    });
  }

  async get(alertId: string): Promise<AlertView | null> {
    if (streetOfAlert(alertId) === null) return null;
    const h = await this.redis.hgetall(this.keys.alert(alertId).alert);
    return h.state ? toView(h) : null;
  }

  async history(alertId: string): Promise<AlertAuditEvent[]> {
    if (streetOfAlert(alertId) === null) return [];
    const entries = await this.redis.lrange(this.keys.alert(alertId).history, 0, -1);
    return entries.map((e) => AlertAuditEventSchema.parse(JSON.parse(e)));
  }

  /** One page of a street's alerts in a state (or open and overdue), oldest first. */
  async list(
    streetCode: string,
    filter: ListFilter,
    offset: number,
    limit: number,
  ): Promise<{ total: number; alerts: AlertView[] }> {
    const s = this.keys.street(streetCode);
    const key = filter === 'overdue' ? s.overdue : s.state[filter];
    const [total, ids] = await Promise.all([this.redis.zcard(key), this.redis.zrange(key, offset, offset + limit - 1)]);
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.alert(id).alert);
    const replies = (await pipeline.exec()) ?? [];
    const alerts = replies
      .map(([, h]) => h as Record<string, string>)
      .filter((h) => h.state)
      .map(toView);
    return { total, alerts };
  }

  /** streetCode → districtCode of every street that ever had an alert. */
  async knownStreets(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.keys.streets)));
  }

  /** Outbox entries of a street, oldest first (at most `count`). */
  async outbox(streetCode: string, count: number): Promise<string[]> {
    return this.redis.lrange(this.keys.street(streetCode).outbox, 0, count - 1);
  }

  async outboxDone(streetCode: string, entry: string): Promise<void> {
    await this.redis.lrem(this.keys.street(streetCode).outbox, 1, entry);
  }

  /** Open alerts per level and open overdue alerts of a street, for the metrics. */
  async counts(streetCode: string): Promise<{ open: Record<(typeof ALERT_LEVELS)[number], number>; overdue: number }> {
    const s = this.keys.street(streetCode);
    const pipeline = this.redis.pipeline();
    for (const level of ALERT_LEVELS) pipeline.zcard(s.openLevel[level]);
    pipeline.zcard(s.overdue);
    const n = ((await pipeline.exec()) ?? []).map(([, v]) => Number(v ?? 0));
    return { open: { watch: n[0] ?? 0, warning: n[1] ?? 0, action: n[2] ?? 0 }, overdue: n[3] ?? 0 };
  }

  /** The raw record (the job data included), for side effects that need more than the event. */
  async record(alertId: string): Promise<Record<string, string>> {
    return this.redis.hgetall(this.keys.alert(alertId).alert);
  }
}

function toView(h: Record<string, string>): AlertView {
  const data = JSON.parse(h.data ?? '{}') as AlertJobData;
  const state = (ALERT_STATES as readonly string[]).includes(h.state ?? '') ? (h.state as AlertState) : 'new';
  return {
    alertId: h.alertId ?? '',
    householdId: h.householdId ?? '',
    streetCode: h.streetCode ?? '',
    districtCode: h.districtCode ?? '',
    state,
    level: h.level ?? '',
    outcome: h.outcome ?? null,
    note: h.note ?? null,
    openedAt: h.openedAt ?? '',
    acknowledgedAt: h.acknowledgedAt ?? null,
    investigatingAt: h.investigatingAt ?? null,
    closedAt: h.closedAt ?? null,
    acknowledgeDueAt: h.acknowledgeDueAt ?? '',
    closeDueAt: h.closeDueAt ?? '',
    overdue: { acknowledge: h.overdueAcknowledgeAt ?? null, close: h.overdueCloseAt ?? null },
    jobs: Number(h.jobs ?? 0),
    next: nextStates(state),
    decision: {
      findings: data.findings,
      burden12m: data.burden12m,
      // Absent on jobs raised before the months were carried: the field is then left out, not invented.
      ...(data.burdenByMonth ? { burdenByMonth: data.burdenByMonth } : {}),
      income: data.income,
      burdenRatio: data.burdenRatio,
      window: data.window,
      assistance: data.assistance,
      ruleSet: data.ruleSet,
      raisedAt: data.raisedAt,
      warnings: data.warnings ?? [],
    },
  };
}
