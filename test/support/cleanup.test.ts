// The scratch fixture leaves nothing behind: the keys under its prefixes and the topics in its namespace
// are gone once the test that used them ends, and nothing else is touched.
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject } from 'vitest';
import { scratchTest } from './scratch.ts';
import { uniqueId } from './names.ts';
import { createTestTopics } from './topics.ts';

describe('scratch fixture', () => {
  const redis = new Redis(inject('redisUrl'));
  const kafka = new Kafka({ brokers: inject('kafkaBrokers'), clientId: 'cleanup-test', logLevel: logLevel.NOTHING });
  const bystander = `${uniqueId('keep')}:k`;
  let used: { prefix: string; topic: string } | undefined;

  afterAll(async () => {
    await redis.del(bystander);
    redis.disconnect();
  });

  scratchTest('hands out a prefix and a namespace the test may fill', async ({ scratch }) => {
    await redis.set(bystander, 'someone else');
    const prefix = scratch.prefix('wlc');
    await scratch.redis.set(`${prefix}:a`, '1');
    await scratch.redis.hset(`${prefix}:{x}:b`, 'f', 'v');
    const topic = `${scratch.namespace}claims.v1`;
    await createTestTopics(scratch.kafka, [{ topic, numPartitions: 1 }]);
    used = { prefix, topic };
    expect(await redis.exists(`${prefix}:a`, `${prefix}:{x}:b`)).toBe(2);
  });

  scratchTest('has removed them once that test ended, and only them', async () => {
    expect(used).toBeDefined();
    expect(await redis.keys(`${used!.prefix}:*`)).toEqual([]);
    expect(await redis.get(bystander)).toBe('someone else');
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).not.toContain(used!.topic);
    } finally {
      await admin.disconnect();
    }
  });
});
