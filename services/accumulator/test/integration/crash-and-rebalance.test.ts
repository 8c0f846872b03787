// A crash (kill -9) in the middle of the stream and a rebalance between two instances change nothing: the
// totals equal those of the claims sent, to the fen, and every household's last published status is its
// current decision.
import { afterEach, describe, expect, it } from 'vitest';
import type { ClaimEvent } from '@warnline/contracts';
import { consumerLag, waitFor } from '@warnline/test';
import { pseudonymFor, registryHousehold, reversalOf, settlement, shuffled } from '../support.ts';
import { evaluateHousehold, getRuleSet, yuanUsage } from '@warnline/rules';
import { evaluationHousehold, householdUsage, materialDigest } from '../../src/usage.ts';
import { AS_OF, Harness } from './harness.ts';

/** A stream of `persons` × `perPerson` settlements with 5% reversals (some first) and 5% duplicates. */
function stream(persons: string[], perPerson: number, seed: number): ClaimEvent[] {
  const out: ClaimEvent[] = [];
  persons.forEach((person, p) => {
    for (let i = 0; i < perPerson; i++) {
      const c = settlement({
        person,
        serviceDate: `2024-0${1 + ((i + p) % 6)}-${String(1 + ((i * 7 + p) % 28)).padStart(2, '0')}`,
        cash: `${(p * 31 + i * 17) % 900}.${String((p + i) % 100).padStart(2, '0')}`,
        visitType: i % 10 === 0 ? 'inpatient' : 'outpatient',
      });
      out.push(c);
      if ((p + i) % 20 === 0) out.push(reversalOf(c));
      if ((p + i) % 20 === 7) out.push(c);
    }
  });
  return shuffled(out, seed);
}

describe('accumulator: crashes and rebalances', () => {
  let h: Harness;
  afterEach(async () => {
    await h.teardown();
  });

  it('loses and doubles nothing when the process is killed with SIGKILL mid-stream and restarted', async () => {
    h = new Harness(3);
    await h.setup();
    const persons = Array.from({ length: 150 }, pseudonymFor);
    const claims = stream(persons, 40, 42);
    await h.sendHouseholds([registryHousehold({ householdId: `HH-${persons[0]}`, members: persons.slice(0, 3) })]);
    await h.sendClaims(claims);
    const env = { KAFKA_MAX_BYTES_PER_PARTITION: '65536' };
    const first = await h.start(env);
    // Kill as soon as some, not all, of the work is done.
    await waitFor(
      'some claims applied',
      async () => (await h.redis.exists(...persons.map((p) => h.keys.person(p)))) > 10,
      { intervalMs: 20 },
    );
    await first.kill();
    const lagAtCrash = await consumerLag(h.kafka, h.group, [h.topics.claims]);
    expect(lagAtCrash).toBeGreaterThan(0);
    await h.start(env);
    await h.drained();
    await h.expectTotalsMatch(claims, (a, e) => expect(a).toEqual(e));
  });

  it('gives the same totals with two instances and a rebalance in the middle (one stopped, started again)', async () => {
    h = new Harness(6);
    await h.setup();
    const persons = Array.from({ length: 240 }, pseudonymFor);
    // Households spread over partitions: members' claims are processed by different instances.
    // Incomes from 15,000 to 405,000: the households end at every level.
    const households = Array.from({ length: 40 }, (_, i) =>
      registryHousehold({
        householdId: `HH-R${i}-${persons[i]!.slice(2, 8)}`,
        members: persons.slice(i * 3, i * 3 + 3),
        income: `${15_000 + i * 10_000}.00`,
      }),
    );
    await h.sendHouseholds(households);
    const claims = stream(persons, 20, 7);
    const third = Math.ceil(claims.length / 3);
    const env = { KAFKA_MAX_BYTES_PER_PARTITION: '65536' };
    await h.sendClaims(claims.slice(0, third));
    const a = await h.start(env);
    const b = await h.start(env);
    await h.sendClaims(claims.slice(third, 2 * third));
    expect(await b.stop()).toBe(0);
    await h.sendClaims(claims.slice(2 * third));
    await h.start(env);
    await h.drained();
    await h.expectTotalsMatch(claims, (x, e) => expect(x).toEqual(e));
    expect(a.output()).not.toContain('Error when calling eachBatch');

    // The last status published per household is the decision of its current state, whichever instance
    // evaluated it last (members' claims were on different partitions and instances).
    const ruleSet = getRuleSet('shanghai', AS_OF);
    const current = new Map<string, string>();
    for (const hh of households) {
      const hashes = new Map(
        await Promise.all(
          hh.members.map(async (m) => [m.personId, await h.redis.hgetall(h.keys.person(m.personId))] as const),
        ),
      );
      const decision = evaluateHousehold(ruleSet, {
        household: evaluationHousehold(hh),
        usage: yuanUsage(
          householdUsage(
            hh.householdId,
            hh.members.map((m) => m.personId),
            hashes,
          ),
        ),
        asOf: AS_OF,
      });
      current.set(hh.householdId, materialDigest(decision));
    }
    const last = new Map<string, string>();
    await h.statuses((items) => {
      for (const { key, status } of items) if (key && status) last.set(key, materialDigest(status));
      return households.every((hh) => last.get(hh.householdId) === current.get(hh.householdId));
    });
    expect(new Set([...current.values()]).size).toBeGreaterThan(1);
  });
});
