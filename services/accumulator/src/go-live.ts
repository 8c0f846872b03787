// The end of a go-live load: evaluation is no longer deferred, every household recorded while it was is
// evaluated once, and their alerts are raised in priority order (every `action` first, then `warning`, then
// `watch`), so the street offices' first list starts with the households that are entitled to act on now.
//
// Crash-safe and repeatable: the flag is cleared first (batches from then on evaluate at once, see
// defer-targets-2.lua), a recorded household leaves the set only after its evaluation, and an alert leaves
// the go-live list only after its job was added; alert job ids are deterministic, so running the go-live
// again after a crash adds nothing twice and finishes what was left.
import type { Redis } from 'ioredis';
import { alertPriority, type AlertJobData, type Level } from '@warnline/contracts';
import { AlertPublisher } from './alerts.ts';
import { decodeTarget } from './deferral.ts';
import type { Evaluator } from './evaluator.ts';
import type { Keys } from './keys.ts';

/**
 * The alerts of the go-live evaluation, kept in Redis (score = job priority) instead of being added at once:
 * raised after every household is evaluated, in priority order. Recorded before the decision counts as
 * published, so a crash in between loses no alert.
 */
export class GoLiveAlertList extends AlertPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    queuePrefix: string,
  ) {
    super(redis, queuePrefix);
  }

  override async raise(data: AlertJobData): Promise<void> {
    await this.redis.zadd(this.key, alertPriority(data.level), JSON.stringify(data));
  }
}

type Raised = Record<Exclude<Level, 'none'>, number>;

export interface GoLiveReport {
  /** Households (and households of one) evaluated by this go-live. */
  evaluated: number;
  /** Status messages published. */
  published: number;
  /** Alerts raised, by level, in the order raised. */
  alerts: Raised;
  /** Alerts raised per street (`""`: households of one, alerts.unrouted), by level: the street's go-live list. */
  streets: Record<string, Raised>;
}

export interface GoLiveDeps {
  redis: Redis;
  keys: Keys;
  /** An evaluator whose alerts go to a GoLiveAlertList on `keys.deferral().alerts`. */
  evaluator: Pick<Evaluator, 'run'>;
  /** Where the alerts go in the end: the street queues. */
  alerts: Pick<AlertPublisher, 'raise'>;
  asOf: string;
  /** Households per evaluation round, alerts per flush round. */
  chunk: number;
  /**
   * Households taken from the set per round (default `chunk`): the evaluator splits them into its chunks and
   * evaluates several at once (EVALUATION_CHUNKS_IN_FLIGHT), so one decides while others wait for Redis.
   */
  roundSize?: number;
  onProgress?: (report: GoLiveReport) => void;
}

const none = (): Raised => ({ action: 0, warning: 0, watch: 0 });

/** Starts deferring: from the next batch on, evaluations are recorded instead of done. */
export async function deferEvaluation(redis: Redis, keys: Keys, since: Date): Promise<void> {
  await redis.set(keys.deferral().flag, since.toISOString());
}

export interface DeferralStatus {
  /** When deferral was switched on, `null` when evaluation is not deferred. */
  deferredSince: string | null;
  /** Households waiting for their go-live evaluation. */
  waiting: number;
  /** Go-live alerts waiting to be raised. */
  alertsWaiting: number;
}

export async function deferralStatus(redis: Redis, keys: Keys): Promise<DeferralStatus> {
  const { flag, targets, alerts } = keys.deferral();
  const [since, waiting, alertsWaiting] = await Promise.all([
    redis.get(flag),
    redis.scard(targets),
    redis.zcard(alerts),
  ]);
  return { deferredSince: since, waiting, alertsWaiting };
}

export async function goLive(deps: GoLiveDeps): Promise<GoLiveReport> {
  const { redis, keys } = deps;
  const { flag, targets, alerts } = keys.deferral();
  const report: GoLiveReport = { evaluated: 0, published: 0, alerts: none(), streets: {} };
  await redis.del(flag);

  for (;;) {
    const members = await redis.srandmember(targets, deps.roundSize ?? deps.chunk);
    if (members.length === 0) break;
    const stats = await deps.evaluator.run(members.map(decodeTarget), deps.asOf);
    report.evaluated += stats.evaluated;
    report.published += stats.published;
    await redis.srem(targets, ...members);
    deps.onProgress?.(report);
  }

  for (;;) {
    const entries = await redis.zrange(alerts, 0, deps.chunk - 1);
    if (entries.length === 0) break;
    for (const entry of entries) {
      const data = JSON.parse(entry) as AlertJobData;
      await deps.alerts.raise(data);
      const level = data.level as keyof Raised;
      report.alerts[level]++;
      (report.streets[data.streetCode] ??= none())[level]++;
    }
    await redis.zrem(alerts, ...entries);
    deps.onProgress?.(report);
  }
  return report;
}
