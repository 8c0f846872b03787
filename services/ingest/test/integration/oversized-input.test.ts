// Input that makes large output: a full batch of invalid claims (whose dead letters together exceed Kafka's
// 1 MiB request limit) and a household of 30,000 members. Both are answered for what they are (rejected
// items, not "retry"), on HTTP and on the Kafka input, where they must not stop their partition.
import { describe, expect, it } from 'vitest';
import { DeadLetterSchema, residentIdCheckChar } from '@warnline/contracts';
import { claim, household, residentId, uniqueId, waitFor } from '@warnline/test';
import { groupLag, tappedIngestForFile } from '../support/integration.ts';

const run = tappedIngestForFile('oversized-group-');

/** A claim whose money is JSON numbers: refused with WRONG_TYPE on all eight amounts. */
function numericMoney(seq: number) {
  const c = claim({ personId: residentId(700 + (seq % 100)) });
  return { ...c, amounts: Object.fromEntries(Object.entries(c.amounts).map(([k, v]) => [k, Number(v)])) };
}

/** Distinct valid identity numbers, many more than any real household has. */
const members = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const first17 = `3101151960${String(1 + (Math.floor(i / 1000) % 12)).padStart(2, '0')}${String(1 + (Math.floor(i / 12_000) % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
    return first17;
  });

describe('input whose output is large', () => {
  it('HTTP: 1,000 invalid claims are answered 202 with 1,000 rejections, each dead-lettered', async () => {
    const batch = Array.from({ length: 1000 }, (_, i) => numericMoney(i));
    const before = run.tap.on(run.ingest.topics.claimsDlq).length;
    const res = await run.ingest.post('/v1/claims', batch);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; rejected: { code: string }[] };
    expect(body.accepted).toBe(0);
    expect(body.rejected).toHaveLength(1000);
    expect(new Set(body.rejected.map((r) => r.code))).toEqual(new Set(['WRONG_TYPE']));
    const letters = await run.tap.waitForCount(run.ingest.topics.claimsDlq, before + 1000);
    expect(letters.length).toBe(before + 1000);
  });

  it('HTTP: a household of 30,000 members is rejected with TOO_MANY_MEMBERS, not retried', async () => {
    const big = household({ householdId: uniqueId('HH'), members: members(30_000).map(withCheck) });
    const res = await run.ingest.post('/v1/households', big);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0, code: 'TOO_MANY_MEMBERS' }] });
  });

  it('Kafka: 1,000 invalid raw claims in one batch and a registry record just under 1 MiB do not stop their partitions', async () => {
    const after = claim({ personId: residentId(801) });
    const claimLettersBefore = run.tap.on(run.ingest.topics.claimsDlq).length;
    await run.producer.send({
      topic: run.ingest.topics.claimsRaw,
      acks: -1,
      messages: [...Array.from({ length: 1000 }, (_, i) => numericMoney(i)), after].map((c) => ({
        partition: 0,
        value: JSON.stringify(c),
      })),
    });
    const big = household({ householdId: uniqueId('HH'), members: members(27_500).map(withCheck) });
    const bigValue = JSON.stringify(big);
    expect(bigValue.length).toBeGreaterThan(900_000);
    expect(bigValue.length).toBeLessThan(1_000_000);
    const small = household({ householdId: uniqueId('HH'), members: [residentId(802)] });
    await run.producer.send({
      topic: run.ingest.topics.householdsRaw,
      acks: -1,
      messages: [
        { partition: 0, key: big.householdId, value: bigValue },
        { partition: 0, key: small.householdId, value: JSON.stringify(small) },
      ],
    });

    await waitFor(
      'the Kafka input to commit both raw topics to their ends',
      async () =>
        (await groupLag(run.kafka, run.group, [run.ingest.topics.claimsRaw, run.ingest.topics.householdsRaw])) === 0,
      { timeoutMs: 60_000 },
    );
    const claimIds = (await run.tap.waitForCount(run.ingest.topics.claims, 1)).map((m) => JSON.parse(m.value!).claimId);
    expect(claimIds).toContain(after.claimId);
    expect((await run.tap.waitForCount(run.ingest.topics.claimsDlq, claimLettersBefore + 1000)).length).toBe(
      claimLettersBefore + 1000,
    );
    const households = await run.tap.waitForCount(run.ingest.topics.households, 1);
    expect(households.map((m) => m.key)).toEqual([small.householdId]);
    // The first dead letter there is the HTTP test's household; this one came from the Kafka input.
    const [, letter] = await run.tap.waitForCount(run.ingest.topics.householdsDlq, 2);
    expect(DeadLetterSchema.parse(JSON.parse(letter!.value!))).toMatchObject({
      code: 'TOO_MANY_MEMBERS',
      kafka: { topic: run.ingest.topics.householdsRaw, partition: 0 },
    });
  });
});

function withCheck(first17: string): string {
  return first17 + residentIdCheckChar(first17);
}
