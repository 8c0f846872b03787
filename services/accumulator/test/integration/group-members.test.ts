// An instance runs several members of the consumer group (KAFKA_CONSUMERS). With one partition per topic,
// its two members hold different topics, and every instance that starts or stops sends both through a
// rebalance. kafkajs keeps a group's committed offsets per client: members sharing one client wipe each
// other's when they rejoin, and the next commit crashes the member for good. The instance must live through
// any number of rebalances and count every claim once.
import { afterAll, describe, expect, it } from 'vitest';
import type { ClaimEvent } from '@warnline/contracts';
import { pseudonymFor, registryHousehold, settlement } from '../support.ts';
import { Harness } from './harness.ts';

const MEMBERS = { KAFKA_CONSUMERS: '2', KAFKA_MAX_BYTES_PER_PARTITION: '65536' };

describe('accumulator: several group members in one instance', () => {
  const h = new Harness(1);
  afterAll(async () => {
    expect(await h.teardown()).toEqual(h.services.map(() => 0));
  });

  it('lives through instances joining and leaving the group while households and claims flow', async () => {
    await h.setup();
    const first = await h.start(MEMBERS);
    const claims: ClaimEvent[] = [];
    for (let round = 0; round < 4; round++) {
      const persons = Array.from({ length: 30 }, pseudonymFor);
      await h.sendHouseholds([
        registryHousehold({ householdId: `HH-M${round}-${persons[0]!.slice(2, 10)}`, members: persons.slice(0, 3) }),
      ]);
      const batch = persons.flatMap((person, p) =>
        Array.from({ length: 20 }, (_, i) =>
          settlement({
            person,
            serviceDate: `2026-0${1 + (i % 3)}-${String(1 + ((p + i) % 28)).padStart(2, '0')}`,
            cash: `${(p * 13 + i * 7) % 500}.${String(i % 100).padStart(2, '0')}`,
          }),
        ),
      );
      claims.push(...batch);
      const sending = h.sendClaims(batch);
      // Another instance joins while the claims arrive, then leaves: two rebalances for the first one.
      const second = await h.start(MEMBERS);
      await sending;
      expect(await second.stop()).toBe(0);
      expect(first.process.exitCode, first.output().slice(-4000)).toBeNull();
    }
    await h.drained();
    await h.expectTotalsMatch(claims, (actual, expected) => expect(actual).toEqual(expected));
    expect(first.output()).not.toContain('Error when calling eachBatch');
    expect(first.process.exitCode).toBeNull();
  });
});
