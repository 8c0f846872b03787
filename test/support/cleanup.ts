// Every test works under its own Redis key prefixes and topic namespace (the Redis and the broker are
// shared), and removes exactly those afterwards: never FLUSHDB, never another test's keys.
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { inject, test } from 'vitest';
import { uniqueId, uniqueNamespace } from './names.ts';

/** Deletes every key under the prefixes (`<prefix>:*`), a SCAN page at a time. */
export async function deleteKeysUnder(redis: Redis, prefixes: readonly string[]): Promise<void> {
  for (const prefix of prefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  }
}

/** Deletes every topic whose name starts with the namespace. */
export async function deleteTopicsUnder(kafka: Kafka, namespace: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(namespace));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

/** What the `scratch` fixture hands a test: names of its own, and clients of the shared Redis and broker. */
export interface Scratch {
  /** A connection to the shared Redis. */
  redis: Redis;
  redisUrl: string;
  kafka: Kafka;
  kafkaBrokers: string[];
  /** A unique Redis key prefix (e.g. REDIS_PREFIX, QUEUE_PREFIX); its keys are deleted after the test. */
  prefix(label?: string): string;
  /** The test's topic namespace (TOPIC_NAMESPACE, "t….") ; its topics are deleted after the test. */
  namespace: string;
}

/**
 * `test` with a `scratch` fixture: real Redis and Kafka clients plus unique key prefixes and a topic
 * namespace, all removed in `finally` once the test ends, whether it passed or not. Needs the integration
 * tier's global setup (it provides the Redis URL and the brokers).
 */
export const scratchTest = test.extend<{ scratch: Scratch }>({
  scratch: async ({}, use) => {
    const redisUrl = inject('redisUrl');
    const kafkaBrokers = inject('kafkaBrokers');
    const redis = new Redis(redisUrl);
    const kafka = new Kafka({ brokers: kafkaBrokers, clientId: uniqueId('scratch'), logLevel: logLevel.NOTHING });
    const prefixes: string[] = [];
    const namespace = uniqueNamespace();
    try {
      await use({
        redis,
        redisUrl,
        kafka,
        kafkaBrokers,
        namespace,
        prefix: (label = 'wl') => {
          const prefix = uniqueId(label);
          prefixes.push(prefix);
          return prefix;
        },
      });
    } finally {
      try {
        await deleteKeysUnder(redis, prefixes);
        await deleteTopicsUnder(kafka, namespace);
      } finally {
        redis.disconnect();
      }
    }
  },
});
