// What ingest acknowledges is on the topic: a 202 is answered only for records Kafka has stored, including
// right after a write that Kafka refused in part (the refused write must not make a later one vanish).
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Kafka, logLevel, Partitioners, type PartitionMetadata } from 'kafkajs';
import { topicNames } from '@warnline/runtime';
import { createPseudonymiser } from '../../src/pseudonym.ts';
import { claim, residentId, uniqueNamespace } from '@warnline/test';
import { PSEUDONYM_KEY, startIngest, Tap, type Ingest } from '../support/integration.ts';

const PARTITIONS = 3;
const brokers = () => inject('kafkaBrokers');
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

/** A claim whose money is JSON numbers: refused, and dead-lettered. */
function numericMoney(seq: number) {
  const c = claim({ personId: residentId(900 + (seq % 50)) });
  return { ...c, amounts: Object.fromEntries(Object.entries(c.amounts).map(([k, v]) => [k, Number(v)])) };
}

let ingest: Ingest | undefined;

afterEach(async () => {
  expect(await ingest?.service.stop()).toBe(0);
  ingest = undefined;
});

/**
 * One valid claim with 999 refused ones, then one valid claim of a person on the same claims.v1 partition:
 * the second answer must be 202 and its claim on the topic; the first claim is there when the first answer
 * said it was accepted.
 */
async function sequence(running: Ingest) {
  const firstPerson = residentId(601);
  const secondPerson = Array.from({ length: 200 }, (_, i) => residentId(602 + i)).find(
    (id) => partitionOf(id) === partitionOf(firstPerson),
  )!;
  const valid = claim({ personId: firstPerson });
  const first = await running.post('/v1/claims', [valid, ...Array.from({ length: 999 }, (_, i) => numericMoney(i))]);
  const firstAnswer = (await first.json()) as { accepted?: number; rejected?: unknown[] };

  const next = claim({ personId: secondPerson });
  const second = await running.post('/v1/claims', [next]);
  expect(second.status).toBe(202);
  expect(await second.json()).toMatchObject({ accepted: 1, rejected: [] });

  const tap = await Tap.start(brokers(), [running.topics.claims]);
  try {
    const ids = (await tap.drain()).map((m) => (JSON.parse(m.value!) as { claimId: string }).claimId);
    expect(ids).toContain(next.claimId);
    if (first.status === 202) expect(ids).toContain(valid.claimId);
  } finally {
    await tap.stop();
  }
  return { first: first.status, firstAnswer };
}

describe('acknowledged claims', () => {
  it('1 valid and 999 refused claims are answered for what they are, and the next claim is stored', async () => {
    ingest = await startIngest(brokers(), { TOPIC_PARTITIONS: String(PARTITIONS) });
    const { first, firstAnswer } = await sequence(ingest);
    expect(first).toBe(202);
    expect(firstAnswer.accepted).toBe(1);
    expect(firstAnswer.rejected).toHaveLength(999);
  });

  it('a claim answered 202 right after a write Kafka refused in part is on claims.v1', async () => {
    // A dead-letter topic that takes only small writes: the first request's claim is stored, its dead
    // letters are refused, in one produce request.
    const namespace = uniqueNamespace();
    const topics = topicNames(namespace);
    const kafka = new Kafka({ clientId: 'acknowledged-writes-test', brokers: brokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [
          { topic: topics.claims, numPartitions: PARTITIONS },
          { topic: topics.claimsDlq, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '4096' }] },
        ],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
    ingest = await startIngest(brokers(), { TOPIC_PARTITIONS: String(PARTITIONS), TOPIC_NAMESPACE: namespace });
    const { first } = await sequence(ingest);
    expect(first).toBe(503);
  });
});
