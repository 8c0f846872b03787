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
  type AlertView,
  type Breach,
  isTriageDesk,
  maskIdentityNumbersIn,
} from '@warnline/contracts';
import { ALERT_LEVELS, formatAlertId, streetOfAlert, type Keys } from './keys.ts';
import { nextStates, stageOf, transitionOf, type TransitionRequest } from './lifecycle.ts';
import {
  breach,
  ingestJob,
  link,
  transition,
  type BreachResult,
  type IngestResult,
  type LinkResult,
  recordReveal,
  type RecordRevealResult,
  type TransitionResult,
} from './scripts.ts';
import { addWorkingDays } from './working-days.ts';

export interface Actor {
  name: string;
  role: 'street' | 'district' | 'city' | 'admin' | 'system';
}

/** An alert as the API shows it (`AlertViewSchema` of packages/contracts, `<alert>` in docs/contracts.md). */
export type { AlertView };

export type ListFilter = AlertState | 'overdue';

export interface Limits {
  acknowledgeWithinMs: number;
  closeWithinMs: number;
  /** Triage desks: assign within this many working days. */
  assignWithinWorkingDays: number;
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
    const triage = isTriageDesk(data.streetCode);
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
        initial: triage ? 'triage' : 'new',
        acknowledgeDueAt: triage ? null : new Date(now.getTime() + limits.acknowledgeWithinMs),
        closeDueAt: triage ? null : new Date(now.getTime() + limits.closeWithinMs),
        assignDueAt: triage ? addWorkingDays(now, limits.assignWithinWorkingDays) : null,
      });
      if (result.kind !== 'stale') return result;
    }
    throw serviceError('ALERT_CONTENDED');
  }

  async transition(alertId: string, request: TransitionRequest, actor: Actor, now: Date): Promise<TransitionResult> {
    const street = streetOfAlert(alertId);
    if (street === null) return { kind: 'not-found' };
    const t = transitionOf(stageOf(street), request.to);
    if (t === null) return { kind: 'wrong-state', state: (await this.get(alertId))?.state ?? 'new' };
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
      target: request.street ?? request.district ?? '',
    });
  }

  /**
   * Closes an open alert whose case another alert carries now (the person joined a registry household), from
   * whatever open state it is in: `target` is `<street>/<household>`.
   */
  async closeAsLinked(alertId: string, target: string, now: Date): Promise<TransitionResult> {
    const street = streetOfAlert(alertId);
    if (street === null) return { kind: 'not-found' };
    for (let attempt = 0; attempt < 10; attempt++) {
      const state = (await this.redis.hget(this.keys.alert(alertId).alert, 'state')) as AlertState | null;
      if (state === null) return { kind: 'not-found' };
      if (state === 'closed' || state === 'assigned') return { kind: 'wrong-state', state };
      const result = await transition(this.redis, {
        street: this.keys.street(street),
        alert: this.keys.alert(alertId),
        alertId,
        from: state,
        to: 'closed',
        action: 'closed',
        outcome: 'linked',
        note: '',
        actorName: 'alerter',
        actorRole: 'system',
        now,
        target,
      });
      if (result.kind !== 'wrong-state') return result;
    }
    throw serviceError('ALERT_CONTENDED');
  }

  /** Records on `alertId` that `otherAlertId` took over from it or came from it (once per pair). */
  async link(alertId: string, otherAlertId: string, assigned: boolean, now: Date): Promise<LinkResult> {
    const street = streetOfAlert(alertId);
    if (street === null) return { kind: 'not-found' };
    return link(this.redis, {
      street: this.keys.street(street),
      alert: this.keys.alert(alertId),
      alertId,
      otherAlertId,
      assigned,
      now,
    });
  }

  /** The open alert of a household (or person) in any street or triage desk, or null. */
  async findOpen(householdId: string): Promise<string | null> {
    const streets = [...(await this.knownStreets()).keys()];
    const pipeline = this.redis.pipeline();
    for (const street of streets) pipeline.hget(this.keys.street(street).open, householdId);
    const replies = (await pipeline.exec()) ?? [];
    for (const [, id] of replies) if (typeof id === 'string') return id;
    return null;
  }

  /** Records that a caseworker asked for the alert's identities, and why (masked like a note). */
  async recordReveal(alertId: string, purpose: string, actor: Actor, now: Date): Promise<RecordRevealResult> {
    const street = streetOfAlert(alertId);
    if (street === null) return { kind: 'not-found' };
    return recordReveal(this.redis, {
      street: this.keys.street(street),
      alert: this.keys.alert(alertId),
      alertId,
      actorName: actor.name,
      actorRole: actor.role,
      now,
      purpose: maskIdentityNumbersIn(purpose.trim()),
    });
  }

  /**
   * Counts one reveal by `user` in the current fixed window of `windowMs`; how many it made in the window
   * (this one included) and the milliseconds until the window ends.
   */
  async countReveal(user: string, now: Date, windowMs: number): Promise<{ count: number; resetsInMs: number }> {
    const window = Math.floor(now.getTime() / windowMs);
    const key = this.keys.revealRate(user, window);
    const replies =
      (await this.redis
        .multi()
        .incr(key)
        .pexpire(key, windowMs * 2)
        .exec()) ?? [];
    const [err, count] = replies[0] ?? [null, 0];
    if (err) throw err;
    return { count: Number(count), resetsInMs: (window + 1) * windowMs - now.getTime() };
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
    return { total, alerts: await this.views(ids) };
  }

  /** The alerts of these ids (the ones that exist), in the order given. */
  async views(ids: readonly string[]): Promise<AlertView[]> {
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.alert(id).alert);
    const replies = (await pipeline.exec()) ?? [];
    return replies
      .map(([, h]) => h as Record<string, string>)
      .filter((h) => h.state)
      .map(toView);
  }

  /** Every alert id of the streets (and desks) in the states, with when it was opened (epoch ms). */
  async idsIn(streets: readonly string[], states: readonly AlertState[]): Promise<{ id: string; openedMs: number }[]> {
    const pipeline = this.redis.pipeline();
    for (const street of streets)
      for (const state of states) pipeline.zrange(this.keys.street(street).state[state], 0, -1, 'WITHSCORES');
    const found: { id: string; openedMs: number }[] = [];
    for (const [, reply] of (await pipeline.exec()) ?? []) {
      const flat = reply as string[];
      for (let i = 0; i + 1 < flat.length; i += 2) found.push({ id: flat[i]!, openedMs: Number(flat[i + 1]) });
    }
    return found;
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
    overdue: {
      acknowledge: h.overdueAcknowledgeAt ?? null,
      close: h.overdueCloseAt ?? null,
      assign: h.overdueAssignAt ?? null,
    },
    triage: isTriageDesk(h.streetCode ?? ''),
    assignDueAt: h.assignDueAt ?? null,
    assignedAt: h.assignedAt ?? null,
    assignedAlertId: h.assignedAlertId ?? null,
    linkedAlertIds: h.linkedAlertIds ? h.linkedAlertIds.split(',') : [],
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
