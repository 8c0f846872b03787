// Side effects of alert events, run at least once through the street's outbox: the event was appended to
// the outbox by the same Lua step that changed the alert, and leaves it only after every effect succeeded.
// Each effect is idempotent, so running an entry twice (a crash between effect and removal, or the relay
// and a request racing) is harmless:
//   opened                      → delayed timer jobs (ids `<alertId>|acknowledge`, `<alertId>|close`; a
//                                 triage alert's `<alertId>|assign`)
//   overdue                     → a job on alerts.district.<district> (id `<alertId>|<breach>`); an
//                                 `assign` breach on alerts.city.escalations
//   closed as charity-referred  → a job on referrals.charity (id = alertId)
//   assigned                    → the street's alert of the household (job id `<alertId>|assigned`), linked
//   closed as not-resident      → the other district's triage alert (job id `<alertId>|handover`), linked
//   closed as linked            → the registry household's alert in its street (job id `<alertId>|linked`),
//                                 linked
//   every event                 → alerts.audit.v1 (consumers dedup on eventId)
import type { Logger } from 'pino';
import {
  AlertAuditEventSchema,
  AlertJobDataSchema,
  alertPriority,
  CHARITY_QUEUE,
  CHARITY_REFERRAL_CITATION,
  CITY_ESCALATION_QUEUE,
  districtQueueName,
  triageDeskOf,
  type AlertAuditEvent,
  type Breach,
  type CharityReferralJobData,
  type EscalationJobData,
} from '@warnline/contracts';
import { districtOfStreet, type AlertStore, type Limits } from './alert-store.ts';
import type { AuditLog } from './audit.ts';
import { ALERT_LEVELS, type AlertLevel } from './keys.ts';
import { TIMER_QUEUE, type QueueSet } from './queues.ts';

/** Data of a timer job: which alert, which limit. */
export interface TimerJobData {
  alertId: string;
  breach: Breach;
}

/** BullMQ keeps these jobs: their ids then stay taken (dedup) and the queues stay a record (audit). */
const KEEP = { removeOnComplete: false, removeOnFail: false } as const;

export class Effects {
  constructor(
    private readonly deps: { store: AlertStore; queues: QueueSet; audit: AuditLog; logger: Logger; limits: Limits },
  ) {}

  /** Runs every effect of one outbox entry, then removes it; throws (entry kept) when one fails. */
  async run(entry: string): Promise<AlertAuditEvent> {
    const event = AlertAuditEventSchema.parse(JSON.parse(entry));
    if (event.action === 'opened') await this.scheduleTimers(event);
    if (event.action === 'overdue' && event.breach) await this.escalate(event, event.breach);
    if (event.action === 'closed' && event.outcome === 'charity-referred') await this.referToCharity(event);
    const carry = carryOver(event);
    if (carry) await this.carry(event, carry);
    await this.deps.audit.append(event);
    await this.deps.store.outboxDone(event.streetCode, entry);
    return event;
  }

  /** As run, but a failure only logs: the entry stays in the outbox and the relay runs it later. */
  async runOrDefer(entry: string): Promise<void> {
    try {
      await this.run(entry);
    } catch (err) {
      this.deps.logger.warn({ err }, 'side effects of an alert event deferred to the outbox relay');
    }
  }

  private async scheduleTimers(event: AlertAuditEvent): Promise<void> {
    const record = await this.deps.store.record(event.alertId);
    const timers = this.deps.queues.get(TIMER_QUEUE);
    const now = Date.now();
    const limits = (
      [
        ['acknowledge', record.acknowledgeDueAt],
        ['close', record.closeDueAt],
        ['assign', record.assignDueAt],
      ] as const
    ).filter(([, due]) => due !== undefined);
    for (const [breach, due] of limits) {
      const data: TimerJobData = { alertId: event.alertId, breach };
      await timers.add(breach, data, {
        jobId: `${event.alertId}|${breach}`,
        delay: Math.max(0, Date.parse(due ?? '') - now),
        ...KEEP,
      });
    }
  }

  private async escalate(event: AlertAuditEvent, breach: Breach): Promise<void> {
    const record = await this.deps.store.record(event.alertId);
    const data: EscalationJobData = {
      alertId: event.alertId,
      householdId: event.householdId,
      streetCode: event.streetCode,
      districtCode: event.districtCode,
      level: event.level,
      breach,
      state: event.from ?? event.to,
      openedAt: record.openedAt ?? '',
      dueAt: record[`${breach}DueAt`] ?? '',
      escalatedAt: event.at,
    };
    // A triage desk that misses its limit escalates to the city; a street to its district.
    const queue = breach === 'assign' ? CITY_ESCALATION_QUEUE : districtQueueName(event.districtCode);
    await this.deps.queues.get(queue).add(event.level, data, {
      jobId: `${event.alertId}|${breach}`,
      priority: alertPriority(event.level),
      ...KEEP,
    });
  }

  /**
   * Opens (or folds into) the alert that takes the case over, then links the two both ways. Every step is
   * idempotent: the job id is derived from the event's alert, and a pair is linked once.
   */
  private async carry(event: AlertAuditEvent, to: CarryOver): Promise<void> {
    const record = await this.deps.store.record(event.alertId);
    const decision = AlertJobDataSchema.parse(JSON.parse(record.data ?? '{}'));
    if (!(ALERT_LEVELS as readonly string[]).includes(event.level)) return;
    const data = {
      ...decision,
      householdId: to.householdId ?? event.householdId,
      streetCode: to.street,
      districtCode: districtOfStreet(to.street),
    };
    const now = new Date();
    const result = await this.deps.store.ingestJob(
      `${event.alertId}|${to.kind}`,
      data,
      event.level as AlertLevel,
      now,
      this.deps.limits,
    );
    if (result.kind === 'stale') throw new Error('the receiving alert changed meanwhile; the outbox retries');
    if (result.kind !== 'duplicate') await this.run(result.event);
    const there = await this.deps.store.link(result.alertId, event.alertId, false, now);
    if (there.kind === 'linked') await this.run(there.event);
    const here = await this.deps.store.link(event.alertId, result.alertId, to.kind !== 'linked', now);
    if (here.kind === 'linked') await this.run(here.event);
  }

  private async referToCharity(event: AlertAuditEvent): Promise<void> {
    const record = await this.deps.store.record(event.alertId);
    const decision = AlertJobDataSchema.parse(JSON.parse(record.data ?? '{}'));
    const data: CharityReferralJobData = {
      alertId: event.alertId,
      householdId: event.householdId,
      streetCode: event.streetCode,
      districtCode: event.districtCode,
      level: event.level,
      reasons: { findings: decision.findings, note: event.note ?? '' },
      burden12m: decision.burden12m,
      income: decision.income,
      burdenRatio: decision.burdenRatio,
      window: decision.window,
      assistance: decision.assistance,
      warnings: decision.warnings ?? [],
      citation: CHARITY_REFERRAL_CITATION,
      referredBy: event.actor.name,
      referredAt: event.at,
    };
    await this.deps.queues.get(CHARITY_QUEUE).add('referral', data, { jobId: event.alertId, ...KEEP });
  }
}

/** Where the case of an alert goes when the event hands it on, and under which household. */
interface CarryOver {
  kind: 'assigned' | 'handover' | 'linked';
  /** A street, or a triage desk's code. */
  street: string;
  /** The receiving household (a registry household when linking), else the event's. */
  householdId?: string;
}

/** Does the event hand the alert's case on to another alert (and where)? */
export function carryOver(event: AlertAuditEvent): CarryOver | null {
  const target = event.target ?? null;
  if (target === null) return null;
  if (event.action === 'assigned') return { kind: 'assigned', street: target };
  if (event.action !== 'closed') return null;
  if (event.outcome === 'not-resident') return { kind: 'handover', street: triageDeskOf(target) };
  if (event.outcome === 'linked') {
    const [street, householdId] = target.split('/');
    return street && householdId ? { kind: 'linked', street, householdId } : null;
  }
  return null;
}

/**
 * Re-runs outbox entries a crash or an outage (Kafka, Redis) left behind. It takes only entries older
 * than `graceMs`, so it rarely races the request or job that is running the same entry right now.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: { store: AlertStore; effects: Effects; logger: Logger; intervalMs: number; graceMs: number },
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.drain().finally(() => (this.running = undefined));
    }, this.deps.intervalMs);
  }

  async drain(): Promise<void> {
    try {
      for (const street of (await this.deps.store.knownStreets()).keys()) {
        for (const entry of await this.deps.store.outbox(street, 500)) {
          const at = Date.parse((JSON.parse(entry) as { at?: string }).at ?? '');
          if (Date.now() - at < this.deps.graceMs) break;
          await this.deps.effects.runOrDefer(entry);
        }
      }
    } catch (err) {
      this.deps.logger.warn({ err }, 'outbox relay pass failed; next pass retries');
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
