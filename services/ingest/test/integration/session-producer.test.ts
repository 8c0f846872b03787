// The shared producer against the real broker: after a produce request that Kafka refuses in part, the next
// send of the same size is stored, not dropped as a duplicate of what the refused request wrote.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { SessionProducer } from '@warnline/runtime';
import { uniqueNamespace } from '@warnline/test';
import { Tap } from '../support/integration.ts';

const brokers = () => inject('kafkaBrokers');
const namespace = uniqueNamespace();
const topics = { small: `${namespace}small`, large: `${namespace}large` };
let kafka: Kafka;

beforeAll(async () => {
  kafka = new Kafka({ clientId: 'session-producer-test', brokers: brokers(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: topics.small, numPartitions: 1 },
      { topic: topics.large, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();
});

afterAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topics.small, topics.large] }).catch(() => undefined);
  await admin.disconnect();
});

describe('SessionProducer', () => {
  it('stores the send that follows a partly refused request, on a new producer session', async () => {
    const producer = new SessionProducer(kafka);
    await producer.connect();
    try {
      // One request, two partitions: the small record is written, the 1.1 MB one is refused (over 1 MiB).
      await expect(
        producer.sendBatch({
          acks: -1,
          topicMessages: [
            { topic: topics.small, messages: [{ partition: 0, value: 'first' }] },
            { topic: topics.large, messages: [{ partition: 0, value: 'x'.repeat(1_100_000) }] },
          ],
        }),
      ).rejects.toThrow();
      await producer.send({ topic: topics.small, acks: -1, messages: [{ partition: 0, value: 'secnd' }] });
      expect(producer.discardedSessions).toBe(1);
    } finally {
      await producer.disconnect();
    }

    const tap = await Tap.start(brokers(), [topics.small]);
    try {
      expect((await tap.drain()).map((m) => m.value)).toEqual(['first', 'secnd']);
    } finally {
      await tap.stop();
    }
  });

  it('fails a send that outlives its timeout as retriable, discards its session, and refuses sends once closed', async () => {
    const producer = new SessionProducer(kafka, { sendTimeoutMs: 1 });
    // A 1 ms budget cannot cover connecting a session: the send fails with a retriable timeout.
    await expect(producer.send({ topic: topics.small, messages: [{ value: 'late' }] })).rejects.toMatchObject({
      name: 'SendTimeoutError',
      retriable: true,
    });
    expect(producer.discardedSessions).toBe(1);
    await producer.disconnect();
    await expect(producer.send({ topic: topics.small, messages: [{ value: 'closed' }] })).rejects.toThrow('closed');
  });
});
