// Exactly-once effect on at-least-once delivery: duplicates, shuffled order with reversals first, conflicts,
// two reversals of one original, a reversal whose original never comes, claims older than the retention and
// poison messages — every person's totals checked to the fen against packages/rules' own aggregation.
import { describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import type { ClaimEvent } from '@warnline/contracts';
import { createTestTopics, waitFor } from '@warnline/test';
import { pseudonymFor, reversalOf, settlement, shuffled } from '../support.ts';
import { scratchTest } from '@warnline/test/scratch';
import { startedHarness } from './harness.ts';

// The set-up of these tests writes to its topics the moment they exist. A freshly created partition can be
// listed with a leader before that leader serves it ("This server does not host this topic-partition"), so
// the topic helper waits until every partition answers: a write without retries must then succeed.
describe('test topics', () => {
  // The scratch namespace: its topics are deleted when the test ends. A client of its own, without retries,
  // so a partition that is not served yet fails the write instead of being retried into success.
  scratchTest('take a write on every partition as soon as they are created', async ({ scratch }) => {
    const kafka = new Kafka({
      clientId: 'topics-test',
      brokers: scratch.kafkaBrokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const topics = Array.from({ length: 4 }, (_, i) => ({ topic: `${scratch.namespace}ready${i}`, numPartitions: 6 }));
    await createTestTopics(kafka, topics);
    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    try {
      const refused: string[] = [];
      for (const { topic } of topics)
        for (let partition = 0; partition < 6; partition++)
          await producer
            .send({ topic, messages: [{ partition, value: 'ready?' }] })
            .catch((err: Error) => refused.push(`${topic}/${partition}: ${err.message}`));
      expect(refused).toEqual([]);
    } finally {
      await producer.disconnect();
    }
  });
});

describe('accumulator: exactly-once totals', () => {
  const h = startedHarness(3);

  it('counts every claim once when each is delivered three times', async () => {
    const persons = Array.from({ length: 20 }, pseudonymFor);
    const claims = persons.flatMap((person, p) =>
      Array.from({ length: 5 }, (_, i) =>
        settlement({
          person,
          serviceDate: `2024-0${1 + (i % 6)}-1${p % 10}`,
          cash: `${100 + p * 7 + i}.${String(p % 100).padStart(2, '0')}`,
          visitType: i === 0 ? 'inpatient' : 'pharmacy',
        }),
      ),
    );
    await h.sendClaims([...claims, ...claims, ...shuffled(claims, 7)]);
    await h.drained();
    const burden = await h.expectTotalsMatch(claims, (a, e) => expect(a).toEqual(e));
    expect(burden).toBeGreaterThan(0);
    // A redelivery of the whole stream changes nothing either.
    await h.sendClaims(claims);
    await h.drained();
    await h.expectTotalsMatch(claims, (a, e) => expect(a).toEqual(e));
  });

  it('gives the same totals in any order, reversals before their originals included', async () => {
    const persons = Array.from({ length: 30 }, pseudonymFor);
    const settlements = persons.flatMap((person, p) =>
      Array.from({ length: 6 }, (_, i) =>
        settlement({ person, serviceDate: `2024-0${1 + i}-0${1 + (p % 9)}`, cash: `${(p + 1) * 13 + i}.0${i}` }),
      ),
    );
    const reversals = settlements.filter((_, i) => i % 3 === 0).map((s) => reversalOf(s));
    // Reversals first, then everything shuffled once more with duplicates.
    const stream = [...shuffled(reversals, 3), ...shuffled([...settlements, ...reversals.slice(0, 10)], 11)];
    await h.sendClaims(stream);
    await h.drained();
    await h.expectTotalsMatch(stream, (a, e) => expect(a).toEqual(e));
    // Two thirds of the settlements remain.
    const remaining = settlements
      .filter((_, i) => i % 3 !== 0)
      .reduce((s, c) => s + Number(c.amounts.cash.replace('.', '')), 0);
    let sum = 0;
    for (const p of persons) sum += (await h.totals(p)).burdenFen;
    expect(sum).toBe(remaining);
  });

  it('keeps the first version of a conflicting claim, counts one of two reversals, cancels with a mismatching reversal, ignores an orphan reversal and too-old claims', async () => {
    const person = pseudonymFor();
    const first = settlement({ person, serviceDate: '2024-03-03', cash: '1000.00' });
    const conflicting: ClaimEvent = {
      ...first,
      amounts: { ...first.amounts, cash: '1000.01', total: (Number(first.amounts.total) + 0.01).toFixed(2) },
    };
    const reversed = settlement({ person, serviceDate: '2024-04-04', cash: '300.00' });
    const r1 = reversalOf(reversed, `${reversed.claimId}-R1`);
    const r2 = reversalOf(reversed, `${reversed.claimId}-R2`);
    const orphan = reversalOf(settlement({ person, serviceDate: '2024-05-05', cash: '77.00' }));
    const old = settlement({ person, serviceDate: '2023-04-30', cash: '999.00' });
    // Does not repeat the amounts of the settlement it names: cancels it in full all the same.
    const partly = settlement({ person, serviceDate: '2024-05-06', cash: '50.00' });
    const mismatch: ClaimEvent = { ...reversalOf(partly, `${partly.claimId}-RX`), amounts: conflicting.amounts };
    await h.sendClaims([first, r2, reversed, r1, conflicting, orphan, old, partly, mismatch, r1]);
    await h.drained();
    expect(await h.totals(person)).toEqual({ burdenFen: 100_000, selfPayFen: 100_000 - 1000 });
    const letters = await h.deadLetters((items) => items.filter((d) => d.input?.personId === person).length >= 3);
    const mine = letters.filter((d) => d.input?.personId === person);
    // A no-effect reversal is dead-lettered again on redelivery (r1 was sent twice): at least once, like the topic.
    expect([...new Set(mine.map((d) => `${d.code}:${String(d.input?.claimId)}`))].sort()).toEqual(
      [
        `CLAIM_CONFLICT:${first.claimId}`,
        `REVERSAL_ALREADY_APPLIED:${r1.claimId}`,
        `SERVICE_DATE_TOO_OLD:${old.claimId}`,
      ].sort(),
    );
    expect(mine.every((d) => d.kafka?.topic === h.topics.claims && d.source === 'kafka')).toBe(true);
  });

  it('dead-letters poison messages with a reason and keeps the partition moving', async () => {
    const person = pseudonymFor();
    const good = settlement({ person, serviceDate: '2024-06-01', cash: '123.45' });
    const broken = {
      ...settlement({ person, serviceDate: '2024-06-02', cash: '10.00' }),
      amounts: { ...good.amounts, cash: '1.00' },
    };
    await h.sendRaw(h.topics.claims, [
      { key: person, value: '{"claimId": "not json' },
      { key: person, value: JSON.stringify(broken) },
      { key: person, value: JSON.stringify({ ...good, personId: '110105194912310021', claimId: 'raw-id' }) },
      { key: person, value: null },
      { key: person, value: JSON.stringify(good) },
    ]);
    await h.drained();
    expect(await h.totals(person)).toEqual({ burdenFen: 12_345, selfPayFen: 12_345 - 1000 });
    const letters = await h.deadLetters(
      (items) =>
        items.filter((d) => d.code === 'UNPARSEABLE_MESSAGE').length >= 2 &&
        items.some((d) => d.code === 'AMOUNT_IDENTITY'),
    );
    expect(letters.some((d) => d.code === 'AMOUNT_IDENTITY' && d.input?.claimId === broken.claimId)).toBe(true);
    const raw = letters.find((d) => d.input?.claimId === 'raw-id');
    expect(raw?.field).toBe('personId');
    expect(JSON.stringify(letters)).not.toContain('110105194912310021');
    await waitFor('the service still healthy', async () => (await fetch(`${h.services[0]!.url}/healthz`)).ok);
  });
});
