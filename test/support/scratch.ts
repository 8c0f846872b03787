// The `scratch` fixture: a vitest `test` whose tests get their own Redis key prefixes and topic namespace,
// removed once the test ends. Apart from index.ts because it imports vitest, which only a test may load.
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { inject, test } from 'vitest';
import { deleteKeysUnder, deleteTopicsUnder } from './cleanup.ts';
import { uniqueId, uniqueNamespace } from './names.ts';

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
