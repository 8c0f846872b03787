// What ingest acknowledges is on the topic: a 202 is answered only for records Kafka has stored, including
// right after a write that Kafka refused in part (the refused write must not make a later one vanish).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { createPseudonymiser } from '../../src/pseudonym.ts';
import { claim, residentId } from '../../../../test/support/fixtures.ts';
import { PSEUDONYM_KEY, startIngest, Tap, type Ingest } from '../support/integration.ts';

const PARTITIONS = 3;
const pseudonymise = createPseudonymiser(PSEUDONYM_KEY);
const partitioner = Partitioners.DefaultPartitioner();
const metadata: PartitionMetadata[] = Array.from({ length: PARTITIONS }, (_, partitionId) => ({
  partitionId,
  leader: 0,
  replicas: [0],
  isr: [0],
  offlineReplicas: [],
  partitionErrorCode: 0,
}));

/** The claims.v1 partition of a person's claims: the producer's own partitioner on the pseudonym key. */
const partitionOf = (personId: string) =>
  partitioner({ topic: 'claims', partitionMetadata: metadata, message: { key: pseudonymise(personId), value: '' } });

let ingest: Ingest;

beforeAll(async () => {
  ingest = await startIngest(inject('kafkaBrokers'), { TOPIC_PARTITIONS: String(PARTITIONS) });
});

afterAll(async () => {
  expect(await ingest?.service.stop()).toBe(0);
});

describe('acknowledged claims', () => {
  it('a claim answered 202 after a partly refused write is on claims.v1', async () => {
    const firstPerson = residentId(601);
    const secondPerson = Array.from({ length: 200 }, (_, i) => residentId(602 + i)).find(
      (id) => partitionOf(id) === partitionOf(firstPerson),
    )!;
    const valid = claim({ personId: firstPerson });
    // Money as JSON numbers: every one of these is refused and dead-lettered.
    const numeric = Array.from({ length: 999 }, (_, i) => {
      const c = claim({ personId: residentId(900 + (i % 50)) });
      return { ...c, amounts: Object.fromEntries(Object.entries(c.amounts).map(([k, v]) => [k, Number(v)])) };
    });
    const first = await ingest.post('/v1/claims', [valid, ...numeric]);
    const firstAnswer = (await first.json()) as { accepted?: number };

    const next = claim({ personId: secondPerson });
    const second = await ingest.post('/v1/claims', [next]);
    expect(second.status).toBe(202);
    expect(await second.json()).toMatchObject({ accepted: 1, rejected: [] });

    const tap = await Tap.start(inject('kafkaBrokers'), [ingest.topics.claims]);
    try {
      const ids = (await tap.drain()).map((m) => (JSON.parse(m.value!) as { claimId: string }).claimId);
      expect(ids).toContain(next.claimId);
      // The first request's valid claim is on the topic exactly when the answer said it was accepted.
      expect(ids.includes(valid.claimId)).toBe(first.status === 202 && firstAnswer.accepted === 1);
    } finally {
      await tap.stop();
    }
  });
});
