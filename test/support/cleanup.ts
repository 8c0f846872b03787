// Every test works under its own Redis key prefixes and topic namespace (the Redis and the broker are
// shared), and removes exactly those afterwards: never FLUSHDB, never another test's keys. Plain functions,
// so the benchmark and the demo may use them too; the vitest fixture built on them is in scratch.ts.
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';

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
