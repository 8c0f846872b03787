// SessionProducer against a producer that answers without some partitions, as kafkajs does when a retry inside
// one send skips a broker that had already answered it: the left-out partitions are sent again, on a new
// session, and nothing else is sent twice.
import type { Kafka, ProducerBatch, RecordMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { PartitionsSkippedError, SessionProducer } from '../src/session-producer.ts';

const PARTITIONS = 6;

/** A Kafka whose n-th session answers without the partitions `skip(n)` names. */
function fakeKafka(skip: (session: number) => number[]) {
  const sent: { session: number; topic: string; partition: number; key: string }[] = [];
  let sessions = 0;
  const kafka = {
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      fetchTopicMetadata: async ({ topics }: { topics: string[] }) => ({
        topics: topics.map((name) => ({
          name,
          partitions: Array.from({ length: PARTITIONS }, (_, partitionId) => ({ partitionId })),
        })),
      }),
    }),
    producer: () => {
      const session = ++sessions;
      return {
        connect: async () => undefined,
        disconnect: async () => undefined,
        sendBatch: async ({ topicMessages = [] }: ProducerBatch): Promise<RecordMetadata[]> => {
          const answered = new Map<string, RecordMetadata>();
          for (const { topic, messages } of topicMessages)
            for (const m of messages) {
              if (skip(session).includes(m.partition!)) continue;
              sent.push({ session, topic, partition: m.partition!, key: String(m.key) });
              answered.set(`${topic}/${m.partition}`, { topicName: topic, partition: m.partition!, errorCode: 0 });
            }
          return [...answered.values()];
        },
      };
    },
  };
  return { kafka: kafka as unknown as Kafka, sent, sessions: () => sessions };
}

const messages = Array.from({ length: 60 }, (_, i) => ({ key: `p_${i}`, value: String(i) }));

describe('SessionProducer', () => {
  it('gives each message the partition of its key, as kafkajs would', async () => {
    const { kafka, sent } = fakeKafka(() => []);
    const producer = new SessionProducer(kafka);
    await producer.send({ topic: 't', messages });
    const again = fakeKafka(() => []);
    await new SessionProducer(again.kafka).send({ topic: 't', messages });
    expect(sent).toHaveLength(messages.length);
    expect(new Set(sent.map((s) => s.partition)).size).toBeGreaterThan(1);
    expect(again.sent.map((s) => s.partition)).toEqual(sent.map((s) => s.partition));
  });

  it('sends the partitions an answer left out again, on a new session, and nothing else twice', async () => {
    // The first session's answers leave partitions 1 and 4 out; the second writes them.
    const { kafka, sent, sessions } = fakeKafka((session) => (session === 1 ? [1, 4] : []));
    const producer = new SessionProducer(kafka);
    await producer.sendBatch({ topicMessages: [{ topic: 't', messages }] });
    expect(sessions()).toBe(2);
    expect(sent.map((s) => s.key).sort()).toEqual(messages.map((m) => m.key).sort());
    expect(sent.filter((s) => s.session === 2).every((s) => s.partition === 1 || s.partition === 4)).toBe(true);
  });

  it('fails, as retriable, when the partitions keep being left out', async () => {
    const { kafka } = fakeKafka(() => [2]);
    const producer = new SessionProducer(kafka);
    const failure = await producer.send({ topic: 't', messages }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(PartitionsSkippedError);
    expect((failure as PartitionsSkippedError).retriable).toBe(true);
    expect((failure as PartitionsSkippedError).partitions).toEqual(['t/2']);
  });
});
