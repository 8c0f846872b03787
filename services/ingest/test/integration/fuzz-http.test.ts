// Fuzz through the real process and broker: mutated claims over HTTP and on the raw Kafka topic, mutated
// households (too many members, streets of another district, identity numbers in the id) over HTTP, mutated
// national-platform exchanges over HTTP and on their raw topic. For
// every request accepted + rejected = sent, and every item sent ends up exactly once on its topic or its DLQ.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Producer } from 'kafkajs';
import { mutatedClaim, mutatedExchange, mutatedHousehold } from '../support/mutations.ts';
import { rawProducer, startIngest, Tap, type Ingest } from '../support/integration.ts';

let ingest: Ingest;
let tap: Tap;
let producer: Producer;

beforeAll(async () => {
  ingest = await startIngest(inject('kafkaBrokers'), { LOG_LEVEL: 'warn' });
  const t = ingest.topics;
  tap = await Tap.start(inject('kafkaBrokers'), [t.claims, t.claimsDlq, t.households, t.householdsDlq]);
  ({ producer } = await rawProducer(inject('kafkaBrokers')));
});

afterAll(async () => {
  await producer?.disconnect();
  await tap?.stop();
  expect(await ingest?.service.stop()).toBe(0);
});

const outputs = () => tap.on(ingest.topics.claims).length + tap.on(ingest.topics.claimsDlq).length;

describe('fuzz through the service', () => {
  it('HTTP: 10 batches of 200 mutated claims, accepted + rejected = sent each time, all on claims.v1 or the DLQ', async () => {
    const batches = fc.sample(fc.array(mutatedClaim, { minLength: 200, maxLength: 200 }), { numRuns: 10, seed: 4 });
    let accepted = 0;
    let rejected = 0;
    for (const items of batches) {
      const res = await ingest.post('/v1/claims', items);
      expect(res.status).toBe(202);
      const body = (await res.json()) as { accepted: number; rejected: { code: string }[] };
      expect(body.accepted + body.rejected.length).toBe(items.length);
      expect(body.rejected.filter((r) => r.code === 'UNPROCESSABLE_ITEM')).toEqual([]);
      accepted += body.accepted;
      rejected += body.rejected.length;
    }
    expect(accepted).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
    await tap.waitForCount(ingest.topics.claims, accepted);
    await tap.waitForCount(ingest.topics.claimsDlq, rejected);
    expect(outputs()).toBe(2000);
  });

  it('Kafka: 1,000 mutated claims and raw garbage on his.claims.raw.v1, each one written exactly once', async () => {
    const before = outputs();
    const claims = fc.sample(mutatedClaim, { numRuns: 1000, seed: 5 });
    const garbage = fc
      .sample(fc.uint8Array({ maxLength: 64 }), { numRuns: 50, seed: 6 })
      .map((bytes) => ({ value: Buffer.from(bytes) }));
    await producer.send({
      topic: ingest.topics.claimsRaw,
      acks: -1,
      messages: [...claims.map((c) => ({ value: JSON.stringify(c) })), ...garbage],
    });
    await tap.drain();
    await expect.poll(outputs, { timeout: 60_000 }).toBe(before + 1050);
  });

  it('HTTP: 5 batches of 200 mutated exchanges, accepted + rejected = sent, each on claims.v1 or the DLQ once', async () => {
    const before = outputs();
    const batches = fc.sample(fc.array(mutatedExchange, { minLength: 200, maxLength: 200 }), { numRuns: 5, seed: 8 });
    let accepted = 0;
    for (const items of batches) {
      const res = await ingest.post('/v1/nhsa/exchanges', items);
      expect(res.status).toBe(202);
      const body = (await res.json()) as { accepted: number; rejected: { code: string }[] };
      expect(body.accepted + body.rejected.length).toBe(items.length);
      expect(body.rejected.filter((r) => r.code === 'UNPROCESSABLE_ITEM')).toEqual([]);
      accepted += body.accepted;
    }
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(900);
    await tap.drain();
    await expect.poll(outputs, { timeout: 60_000 }).toBe(before + 1000);
  });

  it('Kafka: 500 mutated exchanges and raw garbage on his.nhsa.raw.v1, each one written exactly once', async () => {
    const before = outputs();
    const exchanges = fc.sample(mutatedExchange, { numRuns: 500, seed: 9 });
    const garbage = fc
      .sample(fc.uint8Array({ maxLength: 64 }), { numRuns: 20, seed: 10 })
      .map((bytes) => ({ value: Buffer.from(bytes) }));
    await producer.send({
      topic: ingest.topics.nhsaRaw,
      acks: -1,
      messages: [...exchanges.map((e) => ({ value: JSON.stringify(e) })), ...garbage],
    });
    await tap.drain();
    await expect.poll(outputs, { timeout: 60_000 }).toBe(before + 520);
  });

  it('HTTP: 5 batches of 100 mutated households, accepted + rejected = sent, the bounds enforced, all written once', async () => {
    const batches = fc.sample(fc.array(mutatedHousehold, { minLength: 100, maxLength: 100 }), { numRuns: 5, seed: 7 });
    const codes = new Set<string>();
    let accepted = 0;
    let rejected = 0;
    for (const items of batches) {
      const res = await ingest.post('/v1/households', items);
      expect(res.status).toBe(202);
      const body = (await res.json()) as { accepted: number; rejected: { code: string }[] };
      expect(body.accepted + body.rejected.length).toBe(items.length);
      expect(body.rejected.filter((r) => r.code === 'UNPROCESSABLE_ITEM')).toEqual([]);
      for (const r of body.rejected) codes.add(r.code);
      accepted += body.accepted;
      rejected += body.rejected.length;
    }
    for (const code of ['TOO_MANY_MEMBERS', 'STREET_OUTSIDE_DISTRICT', 'IDENTITY_NUMBER_IN_ID'])
      expect(codes).toContain(code);
    const events = await tap.waitForCount(ingest.topics.households, accepted);
    await tap.waitForCount(ingest.topics.householdsDlq, rejected);
    await tap.drain();
    expect(tap.on(ingest.topics.households).length + tap.on(ingest.topics.householdsDlq).length).toBe(500);
    for (const m of events) {
      const e = JSON.parse(m.value!) as { members: unknown[]; streetCode: string; districtCode: string };
      expect(e.members.length).toBeLessThanOrEqual(50);
      expect(e.streetCode.startsWith(e.districtCode)).toBe(true);
    }
  });
});
