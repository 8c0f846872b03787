// A clean start says so: each service, started the way the scripts and compose start it, against the real
// broker with topics and consumer groups it has to create, writes only structured lines below `warn` until
// it is healthy and after it is stopped. A warning at start is then worth reading: nothing an operator has
// learned to ignore (kafkajs' retried "coordinator is loading", its partitioner notice, a deprecation).
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { freePort } from '@warnline/infra';
import {
  uniqueId,
  uniqueNamespace,
  startService,
  type RunningService,
  type ServiceName,
  deleteKeysUnder,
} from '@warnline/test';

/** pino's numeric levels: 40 is warn, 50 error, 60 fatal. */
const WARN = 40;

describe('start-up log', () => {
  const redisPrefix = uniqueId('wls');
  const queuePrefix = uniqueId('wlq');
  const running: RunningService[] = [];

  afterAll(async () => {
    for (const s of running) await s.kill();
    const redis = new Redis(inject('redisUrl'));
    await deleteKeysUnder(redis, [redisPrefix, queuePrefix]);
    await redis.quit();
  });

  it.each(['ingest', 'accumulator', 'alerter'] as const)(
    '%s starts and stops without a warn- or error-level line',
    async (name: ServiceName) => {
      const port = await freePort();
      const namespace = uniqueNamespace();
      const service = await startService(
        name,
        {
          KAFKA_BROKERS: inject('kafkaBrokers').join(','),
          REDIS_URL: inject('redisUrl'),
          TOPIC_NAMESPACE: namespace,
          TOPIC_PARTITIONS: '3',
          REDIS_PREFIX: redisPrefix,
          QUEUE_PREFIX: queuePrefix,
          CONSUMER_GROUP: uniqueId('g'),
          PSEUDONYM_KEY: 'test-key-0123456789abcdef0123456789abcdef',
          INGEST_TOKENS: JSON.stringify([
            { name: 'h', token: uniqueId('hospital-0123456789'), role: 'hospital', institutions: ['*'] },
          ]),
          ALERTER_TOKENS: JSON.stringify([{ name: 'ops', token: uniqueId('admin-0123456789'), role: 'admin' }]),
          IDENTITY_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
          IDENTITY_KEY_ID: 'k1',
          IDENTITY_REDIS_URL: inject('redisUrl'),
          IDENTITY_PREFIX: redisPrefix,
          INTERNAL_TOKENS: JSON.stringify([{ name: 'alerter', token: 'internal-0123456789abcdef' }]),
          // Asked only when a caseworker reveals; nothing connects to it at start.
          INGEST_INTERNAL_URL: 'http://127.0.0.1:9',
          INGEST_INTERNAL_TOKEN: 'internal-0123456789abcdef',
          INGEST_PORT: String(port),
          ACCUMULATOR_PORT: String(port),
          ALERTER_PORT: String(port),
          LOG_LEVEL: 'info',
        },
        port,
      );
      running.push(service);
      expect(await service.stop()).toBe(0);
      const lines = service
        .output()
        .split('\n')
        .filter((l) => l.trim() !== '');
      const unstructured = lines.filter((l) => {
        try {
          return typeof (JSON.parse(l) as { level?: unknown }).level !== 'number';
        } catch {
          return true;
        }
      });
      // Node's own warnings (deprecations and the like) go to stderr as plain text.
      expect(unstructured).toEqual([]);
      const loud = lines.filter((l) => (JSON.parse(l) as { level: number }).level >= WARN);
      expect(loud).toEqual([]);
      expect(lines.some((l) => /listening|consuming/.test(l))).toBe(true);
    },
  );
});
