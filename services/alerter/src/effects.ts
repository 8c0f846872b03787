// Side effects of alert events, run at least once through the street's outbox: the event was appended to
// the outbox by the same Lua step that changed the alert, and leaves it only after every effect succeeded.
// Each effect is idempotent, so running an entry twice (a crash between effect and removal, or the relay
// and a request racing) is harmless:
//   opened                      → two delayed timer jobs (ids `<alertId>|acknowledge`, `<alertId>|close`)
//   overdue                     → a job on alerts.district.<district> (id `<alertId>|<breach>`)
//   closed as charity-referred  → a job on referrals.charity (id = alertId)
//   every event                 → alerts.audit.v1 (consumers dedup on eventId)
import type { Logger } from 'pino';
import {
  AlertAuditEventSchema,
  AlertJobDataSchema,
  alertPriority,
  CHARITY_QUEUE,
  CHARITY_REFERRAL_CITATION,
  districtQueueName,
  type AlertAuditEvent,
  type Breach,
  type CharityReferralJobData,
  type EscalationJobData,
} from '@warnline/contracts';
import type { AlertStore } from './alert-store.ts';
import type { AuditLog } from './audit.ts';
import { TIMER_QUEUE, type QueueSet } from './queues.ts';

/** Data of a timer job: which alert, which limit. */
export interface TimerJobData {
  alertId: string;
  breach: Breach;
}

/** BullMQ keeps these jobs: their ids then stay taken (dedup) and the queues stay a record (audit). */
const KEEP = { removeOnComplete: false, removeOnFail: false } as const;

export class Effects {
  constructor(private readonly deps: { store: AlertStore; queues: QueueSet; audit: AuditLog; logger: Logger }) {}

  /** Runs every effect of one outbox entry, then removes it; throws (entry kept) when one fails. */
  async run(entry: string): Promise<AlertAuditEvent> {
    const event = AlertAuditEventSchema.parse(JSON.parse(entry));
    if (event.action === 'opened') await this.scheduleTimers(event);
    if (event.action === 'overdue' && event.breach) await this.escalate(event, event.breach);
    if (event.action === 'closed' && event.outcome === 'charity-referred') await this.referToCharity(event);
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
    for (const [breach, due] of [
      ['acknowledge', record.acknowledgeDueAt],
      ['close', record.closeDueAt],
    ] as const) {
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
      dueAt: (breach === 'acknowledge' ? record.acknowledgeDueAt : record.closeDueAt) ?? '',
      escalatedAt: event.at,
    };
    await this.deps.queues.get(districtQueueName(event.districtCode)).add(event.level, data, {
      jobId: `${event.alertId}|${breach}`,
      priority: alertPriority(event.level),
      ...KEEP,
    });
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
