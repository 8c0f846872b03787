// Redis memory of the state layout, measured with MEMORY USAGE on a synthetic year of claims (packages/
// synthetic: heavy-tailed claims per person, reversals, duplicates): the budgets are ≤ 1 KB per
// active person for 12 months of buckets and ≤ 100 bytes per claim held for dedup.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { ClaimEvent } from '@warnline/contracts';
import { startRedisServer } from '@warnline/infra';
import { generateClaims, generateHouseholds } from '@warnline/synthetic';
import { applyClaims } from '../../src/claim-batch.ts';
import { createKeys } from '../../src/keys.ts';
import { registerScripts } from '../../src/scripts.ts';
import { expectedTotals, totalsOfHash } from '../support.ts';

describe('accumulator: Redis memory per person and per claim', () => {
  // A Redis of our own with the stock encoding limits (the shared one may be tuned), so the numbers are those
  // of a default deployment: hashes stay listpacks up to 128 fields of up to 64 bytes.
  let server: Awaited<ReturnType<typeof startRedisServer>>;
  let redis: Redis;
  const keys = createKeys('wl');

  beforeAll(async () => {
    server = await startRedisServer(['--hash-max-listpack-entries', '128', '--hash-max-listpack-value', '64']);
    redis = new Redis(server.url);
    registerScripts(redis);
  });
  afterAll(async () => {
    await redis.quit();
    await server.stop();
  });

  it('stays within 1 KB per active person and 100 bytes per claim held for dedup', async () => {
    const options = { seed: 5, households: 1500, endDate: '2024-06-30' };
    const pseudonym = (id: string) => `p_${createHmac('sha256', 'memory-test').update(id).digest('hex').slice(0, 32)}`;
    const claims: ClaimEvent[] = [...generateClaims(options, generateHouseholds(options))].map(
      (c) => ({ ...c, personId: pseudonym(c.personId), receivedAt: '2024-07-01T00:00:00Z' }) as ClaimEvent,
    );
    for (let i = 0; i < claims.length; i += 5000) await applyClaims(redis, keys, claims.slice(i, i + 5000), '2023-05');
    const persons = [...new Set(claims.map((c) => c.personId))];

    const usage = async (key: (p: string) => string) => {
      const pipeline = redis.pipeline();
      for (const p of persons) pipeline.memory('USAGE', key(p), 'SAMPLES', 0);
      return ((await pipeline.exec()) ?? []).reduce((s, [, v]) => s + Number(v ?? 0), 0);
    };
    const bucketBytes = await usage(keys.person);
    const dedupBytes = await usage(keys.personClaims);
    const pipeline = redis.pipeline();
    for (const p of persons) pipeline.hlen(keys.personClaims(p));
    const held = ((await pipeline.exec()) ?? []).reduce((s, [, v]) => s + Number(v), 0);
    const perPerson = bucketBytes / persons.length;
    const perClaim = dedupBytes / held;
    console.log(
      `[memory] ${claims.length} messages, ${persons.length} persons, ${held} dedup records: ` +
        `${perPerson.toFixed(0)} B per person (month buckets), ${perClaim.toFixed(1)} B per claim held for dedup`,
    );
    expect(perPerson).toBeLessThanOrEqual(1024);
    expect(perClaim).toBeLessThanOrEqual(100);

    // And the totals are those of the claims, to the fen (the synthetic feed has reversals and duplicates).
    const expected = expectedTotals(claims);
    const read = redis.pipeline();
    for (const p of persons) read.hgetall(keys.person(p));
    const actual = ((await read.exec()) ?? []).map(([, v]) => totalsOfHash(v as Record<string, string>));
    expect(actual).toEqual(persons.map((p) => expected.get(p) ?? { burdenFen: 0, selfPayFen: 0 }));
  });
});
