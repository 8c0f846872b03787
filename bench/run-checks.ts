// What a fault run must leave behind besides each person's totals (redis-state.ts): each registry household's
// totals (its members' buckets, as the accumulator sums them) equal to the claims sent, and the alert jobs
// consistent with the decisions the accumulator recorded: at most one job per (household, level, month), and
// a job for every household the accumulator put at a level (a crash between the decision and the job would
// otherwise lose the alert for good, the decision being recorded as made).
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  levelRank,
  personStateKeys,
  streetDirectoryKey,
  streetQueueName,
  type AlertJobData,
  type HouseholdEvent,
  type Level,
} from '@warnline/contracts';
import { scanTargets } from '@warnline/runtime';
import type { FenTotals, NetTotals } from '@warnline/synthetic';
import { accumulatorMonths } from './redis-state.ts';

export interface HouseholdTotalsCheck {
  households: number;
  /** A few mismatching households: id, month, expected and found. */
  mismatches: string[];
}

const addInto = (sum: Map<string, FenTotals>, months: ReadonlyMap<string, FenTotals>) => {
  for (const [month, t] of months) {
    const cell = sum.get(month) ?? { burdenFen: 0, selfPayFen: 0 };
    cell.burdenFen += t.burdenFen;
    cell.selfPayFen += t.selfPayFen;
    sum.set(month, cell);
  }
};

/**
 * Each registry household's net fen per month: expected, its members' claims sent; found, the buckets of the
 * members whose household pointer (`h`) names it, which is what the accumulator evaluates.
 */
export async function checkHouseholdTotals(
  redis: Redis,
  oracle: NetTotals,
  households: readonly HouseholdEvent[],
  redisPrefix: string,
): Promise<HouseholdTotalsCheck> {
  const mismatches: string[] = [];
  let bad = 0;
  for (const household of households) {
    const expected = new Map<string, FenTotals>();
    const found = new Map<string, FenTotals>();
    for (const { personId } of household.members) {
      addInto(expected, oracle.months(personId));
      const hash = await redis.hgetall(personStateKeys.person(redisPrefix, personId));
      if (hash.h === household.householdId) addInto(found, accumulatorMonths(hash));
    }
    for (const month of new Set([...expected.keys(), ...found.keys()])) {
      const e = expected.get(month) ?? { burdenFen: 0, selfPayFen: 0 };
      const f = found.get(month) ?? { burdenFen: 0, selfPayFen: 0 };
      if (e.burdenFen !== f.burdenFen || e.selfPayFen !== f.selfPayFen) {
        bad++;
        if (mismatches.length < 5)
          mismatches.push(
            `${household.householdId} ${month}: expected ${e.burdenFen}/${e.selfPayFen} fen, found ${f.burdenFen}/${f.selfPayFen}`,
          );
      }
    }
  }
  if (bad > mismatches.length) mismatches.push(`… ${bad - mismatches.length} more`);
  return { households: households.length, mismatches };
}

export interface AlertJobsCheck {
  /** Jobs on every street queue of the directory. */
  jobs: number;
  /** Households with a recorded decision at watch or above. */
  decided: number;
  /** (household, level, month) keys held by more than one job. */
  duplicates: string[];
  /** Households decided at a level with no job of that level or higher: alerts lost. */
  missing: string[];
}

/** The decision status hashes: a registry household's `{h:<id>}:h`, a household of one's `{<pseudonym>}:s`. */
async function recordedLevels(redis: Redis, redisPrefix: string): Promise<Map<string, Level>> {
  const levels = new Map<string, Level>();
  const escaped = redisPrefix.replace(/[*?[\]\\]/g, '\\$&');
  for (const node of scanTargets(redis))
    for (const [pattern, idOf] of [
      [`${escaped}:{h:*}:h`, (key: string) => key.slice(redisPrefix.length + 4, -3)],
      [`${escaped}:{p_*}:s`, (key: string) => key.slice(redisPrefix.length + 2, -3)],
    ] as const) {
      const stream = node.scanStream({ match: pattern, count: 1000 });
      for await (const keys of stream as AsyncIterable<string[]>)
        for (const key of keys) {
          const level = (await redis.hget(key, 'lvl')) as Level | null;
          if (level && level !== 'none') levels.set(idOf(key), level);
        }
    }
  return levels;
}

export async function checkAlertJobs(redis: Redis, redisPrefix: string, queuePrefix: string): Promise<AlertJobsCheck> {
  const byKey = new Map<string, number>();
  const highest = new Map<string, Level>();
  let jobs = 0;
  for (const street of await redis.smembers(streetDirectoryKey(queuePrefix))) {
    const queue = new Queue(streetQueueName(street), { connection: redis, prefix: queuePrefix });
    try {
      for (const job of await queue.getJobs()) {
        const data = job.data as AlertJobData;
        jobs++;
        const key = `${data.householdId}|${data.level}|${data.window.to}`;
        byKey.set(key, (byKey.get(key) ?? 0) + 1);
        const before = highest.get(data.householdId);
        if (!before || levelRank(data.level) > levelRank(before)) highest.set(data.householdId, data.level);
      }
    } finally {
      await queue.close();
    }
  }
  const levels = await recordedLevels(redis, redisPrefix);
  const missing = [...levels]
    .filter(([id, level]) => levelRank(highest.get(id) ?? 'none') < levelRank(level))
    .map(([id, level]) => `${id} at ${level}, highest job ${highest.get(id) ?? 'none'}`);
  return {
    jobs,
    decided: levels.size,
    duplicates: [...byKey].filter(([, n]) => n > 1).map(([key]) => key),
    missing,
  };
}
