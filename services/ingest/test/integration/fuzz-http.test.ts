// Fuzz through the real process and broker: mutated claims over HTTP and on the raw Kafka topic. For every
// request accepted + rejected = sent, and every claim sent ends up exactly once on claims.v1 or claims.dlq.v1.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Producer } from 'kafkajs';
import { mutatedClaim } from '../support/mutations.ts';
import { rawProducer, startIngest, Tap, type Ingest } from '../support/integration.ts';

let ingest: Ingest;
let tap: Tap;
let producer: Producer;

beforeAll(async () => {
  ingest = await startIngest(inject('kafkaBrokers'), { LOG_LEVEL: 'warn' });
  tap = await Tap.start(inject('kafkaBrokers'), [ingest.topics.claims, ingest.topics.claimsDlq]);
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
});
