// Month roll-over: on the first day of each month (Asia/Shanghai) a BullMQ job scheduler adds one job; the
// instance that takes it walks the index of persons with burden (not a SCAN of Redis), drops months that
// left the retention and re-evaluates every household concerned, so levels fall as old months leave the
// window. A fall is published to household-status.v1 and never raises an alert (the evaluator only alerts
// on a rise).
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { isCalendarDate, oldestRetainedMonth } from '@warnline/contracts';
import { monthIndex } from './claim-batch.ts';
import type { Evaluator, EvaluationStats, Target } from './evaluator.ts';
import type { Keys } from './keys.ts';
import { reply } from './scripts.ts';

/** Queue of the roll-over jobs (under QUEUE_PREFIX). A job may be added by hand, e.g. by a test or a replay. */
export const ROLLOVER_QUEUE = 'accumulator.rollover';
export const ROLLOVER_SCHEDULER_ID = 'monthly-rollover';

/** Job data. `asOf` defaults to the accumulator's as-of date (AS_OF, else today in Asia/Shanghai). */
export interface RolloverJobData {
  asOf?: string;
}

export interface RolloverResult extends EvaluationStats {
  asOf: string;
  persons: number;
  removed: number;
}

export interface RolloverDeps {
  redis: Redis;
  keys: Keys;
  evaluator: Evaluator;
  logger: Logger;
  retentionMonths: number;
  asOf: () => string;
  /** Persons per ZSCAN step and evaluation group. */
  chunk: number;
}

/** Re-evaluates every household with burden as of `asOf`. Idempotent: a second run changes nothing. */
export async function rollOver(
  deps: RolloverDeps,
  asOf: string,
  progress?: () => Promise<void>,
): Promise<RolloverResult> {
  const { redis, keys, evaluator } = deps;
  const floor = oldestRetainedMonth(asOf, deps.retentionMonths);
  const result: RolloverResult = { asOf, persons: 0, removed: 0, evaluated: 0, published: 0, alerts: 0 };
  for (const shard of keys.activeShards()) {
    let cursor = '0';
    do {
      const [next, flat] = await redis.zscan(shard, cursor, 'COUNT', deps.chunk);
      cursor = next;
      const persons = flat.filter((_, i) => i % 2 === 0);
      if (persons.length === 0) continue;
      const prune = redis.pipeline();
      for (const p of persons) prune.prunePerson(keys.person(p), keys.personClaims(p), floor);
      const pruned = (await prune.exec()) ?? [];
      const targets: Target[] = [];
      persons.forEach((person, i) => {
        const [householdId] = reply<[string | null, number]>(pruned[i]);
        targets.push(householdId ? { kind: 'household', id: householdId } : { kind: 'solo', person });
      });
      const stats = await evaluator.run(targets, asOf);
      result.persons += persons.length;
      result.evaluated += stats.evaluated;
      result.published += stats.published;
      result.alerts += stats.alerts;
      if (progress) await progress();
    } while (cursor !== '0');
    // Persons whose latest claim is older than the floor have nothing left; a claim arriving meanwhile
    // re-adds its person with a newer score (ZADD GT), which this never removes.
    result.removed += await redis.zremrangebyscore(shard, '-inf', `(${monthIndex(floor)}`);
  }
  return result;
}

/** The scheduler (idempotent across instances: one scheduler id) and the worker of the roll-over jobs. */
export async function startRollover(
  deps: RolloverDeps & { queueConnection: Redis; workerConnection: Redis; prefix: string; cron: string },
): Promise<{ queue: Queue; worker: Worker }> {
  const queue = new Queue<RolloverJobData>(ROLLOVER_QUEUE, { connection: deps.queueConnection, prefix: deps.prefix });
  await queue.upsertJobScheduler(
    ROLLOVER_SCHEDULER_ID,
    { pattern: deps.cron, tz: 'Asia/Shanghai' },
    {
      name: 'rollover',
      data: {},
      opts: { removeOnComplete: 24, removeOnFail: 24, attempts: 5, backoff: { type: 'exponential', delay: 10_000 } },
    },
  );
  const worker = new Worker<RolloverJobData, RolloverResult>(
    ROLLOVER_QUEUE,
    async (job: Job<RolloverJobData>) => {
      const asOf = job.data.asOf ?? deps.asOf();
      if (!isCalendarDate(asOf)) throw new Error(`roll-over job ${job.id}: asOf is not a calendar date`);
      deps.logger.info({ asOf, job: job.id }, 'month roll-over started');
      const result = await rollOver(deps, asOf, () => job.updateProgress({ asOf }));
      deps.logger.info(result, 'month roll-over done');
      return result;
    },
    { connection: deps.workerConnection, prefix: deps.prefix, concurrency: 1 },
  );
  worker.on('failed', (job, err) => deps.logger.error({ err, job: job?.id }, 'month roll-over failed'));
  return { queue, worker };
}
