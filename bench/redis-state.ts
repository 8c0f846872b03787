// Reading what a run left in Redis: the totals check (every person's net per month, to the fen, against the
// oracle computed from the generated claims) and memory per active person and per dedup record
// (MEMORY USAGE … SAMPLES 0: exact, not estimated from a sample of a hash's fields).
import type { Redis } from 'ioredis';
import type { FenTotals, NetTotals } from '@warnline/synthetic';

/** How a layout's person hash turns into per-month net fen. */
export type MonthReader = (hash: Record<string, string>) => Map<string, FenTotals>;

const add = (m: Map<string, FenTotals>, month: string, b: number, s: number) => {
  const cell = m.get(month) ?? { burdenFen: 0, selfPayFen: 0 };
  cell.burdenFen += b;
  cell.selfPayFen += s;
  m.set(month, cell);
};

/** The accumulator's person hash: "<YYYY-MM>:<i|o>" → "<burdenFen>:<selfPayFen>" (services/accumulator README). */
export const accumulatorMonths: MonthReader = (hash) => {
  const m = new Map<string, FenTotals>();
  for (const [field, value] of Object.entries(hash)) {
    if (!/^\d{4}-\d{2}:[io]$/.test(field)) continue;
    const [b, s] = value.split(':').map(Number) as [number, number];
    add(m, field.slice(0, 7), b, s);
  }
  return m;
};

/** The naive path's hash: "<YYYY-MM>:<i|o>:b" and ":s" → fen. */
export const naiveMonths: MonthReader = (hash) => {
  const m = new Map<string, FenTotals>();
  for (const [field, value] of Object.entries(hash)) {
    const match = /^(\d{4}-\d{2}):[io]:([bs])$/.exec(field);
    if (!match) continue;
    add(m, match[1]!, match[2] === 'b' ? Number(value) : 0, match[2] === 's' ? Number(value) : 0);
  }
  return m;
};

export interface TotalsCheck {
  match: boolean;
  persons: number;
  mismatches: number;
  /** A few mismatching persons, for the log: pseudonym, month, expected and found. */
  examples: string[];
  expectedBurdenFen: number;
  foundBurdenFen: number;
}

export async function checkTotals(
  redis: Redis,
  oracle: NetTotals,
  personKey: (p: string) => string,
  read: MonthReader,
): Promise<TotalsCheck> {
  const persons = [...oracle.persons()];
  let mismatches = 0;
  let expectedBurdenFen = 0;
  let foundBurdenFen = 0;
  const examples: string[] = [];
  for (let i = 0; i < persons.length; i += 2000) {
    const chunk = persons.slice(i, i + 2000);
    const pipeline = redis.pipeline();
    for (const p of chunk) pipeline.hgetall(personKey(p));
    const replies = (await pipeline.exec()) ?? [];
    chunk.forEach((p, k) => {
      const [err, hash] = replies[k] ?? [new Error('no reply'), null];
      const found = err ? new Map<string, FenTotals>() : read(hash as Record<string, string>);
      const expected = oracle.months(p);
      let bad = false;
      for (const month of new Set([...expected.keys(), ...found.keys()])) {
        const e = expected.get(month) ?? { burdenFen: 0, selfPayFen: 0 };
        const f = found.get(month) ?? { burdenFen: 0, selfPayFen: 0 };
        expectedBurdenFen += e.burdenFen;
        foundBurdenFen += f.burdenFen;
        if (e.burdenFen !== f.burdenFen || e.selfPayFen !== f.selfPayFen) {
          bad = true;
          if (examples.length < 5)
            examples.push(
              `${p} ${month}: expected ${e.burdenFen}/${e.selfPayFen} fen, found ${f.burdenFen}/${f.selfPayFen}`,
            );
        }
      }
      if (bad) mismatches++;
    });
  }
  return {
    match: mismatches === 0 && persons.length > 0,
    persons: persons.length,
    mismatches,
    examples,
    expectedBurdenFen,
    foundBurdenFen,
  };
}

export interface MemoryReport {
  /** Persons measured (all of them, or an even sample of a big run). */
  personsMeasured: number;
  /** Mean MEMORY USAGE of the keys that hold one person's month buckets (plus shared indexes, per person). */
  bytesPerPerson: number;
  /** MEMORY USAGE of the dedup records / the number of claim records in them. */
  bytesPerDedupClaim: number;
  dedupRecords: number;
  /** Mean buckets fields per person (months × visit classes), to read bytesPerPerson against. */
  fieldsPerPerson: number;
}

export interface MemoryLayout {
  /** Keys holding only this person's buckets. */
  personKeys(p: string): string[];
  /** The key of this person's dedup records (a hash: one field per claim). */
  dedupKey(p: string): string;
  /** Keys shared by all persons whose size grows per active person (an activity index), measured whole. */
  sharedKeys: string[];
}

export async function measureMemory(
  redis: Redis,
  persons: readonly string[],
  layout: MemoryLayout,
  maxSample = 20_000,
): Promise<MemoryReport> {
  const step = Math.max(1, Math.ceil(persons.length / maxSample));
  const sample = persons.filter((_, i) => i % step === 0);
  let personBytes = 0;
  let fields = 0;
  let dedupBytes = 0;
  let dedupRecords = 0;
  for (let i = 0; i < sample.length; i += 1000) {
    const chunk = sample.slice(i, i + 1000);
    const pipeline = redis.pipeline();
    for (const p of chunk) {
      for (const k of layout.personKeys(p)) pipeline.call('MEMORY', 'USAGE', k, 'SAMPLES', '0');
      pipeline.hlen(layout.personKeys(p)[0]!);
      pipeline.call('MEMORY', 'USAGE', layout.dedupKey(p), 'SAMPLES', '0');
      pipeline.hlen(layout.dedupKey(p));
    }
    const replies = (await pipeline.exec()) ?? [];
    let r = 0;
    const num = () => Number(replies[r++]?.[1] ?? 0);
    for (const p of chunk) {
      for (let k = 0; k < layout.personKeys(p).length; k++) personBytes += num();
      fields += num();
      dedupBytes += num();
      dedupRecords += num();
    }
  }
  let shared = 0;
  for (const k of layout.sharedKeys) shared += Number((await redis.call('MEMORY', 'USAGE', k, 'SAMPLES', '0')) ?? 0);
  const n = Math.max(1, sample.length);
  return {
    personsMeasured: sample.length,
    bytesPerPerson: personBytes / n + shared / Math.max(1, persons.length),
    bytesPerDedupClaim: dedupRecords > 0 ? dedupBytes / dedupRecords : Number.NaN,
    dedupRecords,
    fieldsPerPerson: fields / n,
  };
}

/** used_memory from INFO memory: a second, coarser view (the Redis is shared, so deltas include others' work). */
export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

/** Mean MEMORY USAGE of a sample of keys (registry households: record, members, decision status). */
export async function meanKeyBytes(redis: Redis, keys: readonly string[], maxSample = 5_000): Promise<number> {
  const step = Math.max(1, Math.ceil(keys.length / maxSample));
  const sample = keys.filter((_, i) => i % step === 0);
  const pipeline = redis.pipeline();
  for (const k of sample) pipeline.call('MEMORY', 'USAGE', k, 'SAMPLES', '0');
  const replies = (await pipeline.exec()) ?? [];
  const total = replies.reduce((sum, [, v]) => sum + Number(v ?? 0), 0);
  return sample.length > 0 ? total / sample.length : Number.NaN;
}
