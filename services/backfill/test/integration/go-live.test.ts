// A go-live from files with the real accumulator: evaluation deferred while the registry and the claims are
// loaded and a streaming claim arrives (no decision, no alert for half-loaded households), then one
// evaluation per household and the go-live alerts in priority order, action first. Loading the same files
// again afterwards changes no total and raises nothing; a second go-live finds nothing to do.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect } from 'vitest';
import { streetDirectoryKey, streetQueueName } from '@warnline/contracts';
import { freePort } from '@warnline/infra';
import { consumerLag, QueueSet } from '@warnline/runtime';
import {
  claim,
  daysAgo,
  household,
  REPO_ROOT,
  residentId,
  runScript,
  startService,
  uniqueId,
  waitFor,
  type RunningService,
} from '@warnline/test';
import { scratchTest as test } from '@warnline/test/scratch';
import { backfill, backfillEnv, jsonLines, pseudonymise, readTopic, scratchDirPerTest } from '../support.ts';

const GO_LIVE_CLI = join(REPO_ROOT, 'services', 'accumulator', 'src', 'cli', 'go-live.ts');

const scratchDir = scratchDirPerTest();
let accumulator: RunningService | null = null;
afterEach(async () => {
  await accumulator?.stop();
  accumulator = null;
});

/** Households whose loaded history puts them at each level (one member each, claims in the window). */
const CITY = [
  { id: 'HH310113000101', street: '310113103', income: '60000.00', cash: ['9000.00', '9000.00', '9000.00'] }, // action
  { id: 'HH310113000102', street: '310113104', income: '60000.00', cash: ['14000.00', '14000.00'] }, // action
  { id: 'HH310113000103', street: '310113103', income: '60000.00', cash: ['9000.00', '9000.00'] }, // warning
  { id: 'HH310113000104', street: '310113104', income: '60000.00', cash: ['18000.00'] }, // warning
  { id: 'HH310113000105', street: '310113103', income: '1000000.00', cash: ['59000.00', '59000.00'] }, // watch
  { id: 'HH310113000106', street: '310113103', income: '60000.00', cash: ['1000.00'] }, // none
].map((h, n) => ({ ...h, person: residentId(500 + n) }));

describe('go-live: deferred evaluation during a backfill', () => {
  test('no alert while loading; then each household evaluated once and alerts raised action first', async ({
    scratch,
  }) => {
    const dir = scratchDir();
    const namespace = scratch.namespace;
    const accEnv = {
      KAFKA_BROKERS: scratch.kafkaBrokers.join(','),
      REDIS_URL: scratch.redisUrl,
      TOPIC_NAMESPACE: namespace,
      TOPIC_PARTITIONS: '3',
      CONSUMER_GROUP: uniqueId('acc'),
      REDIS_PREFIX: scratch.prefix('wl'),
      QUEUE_PREFIX: scratch.prefix('wlq'),
      ROLLOVER_ENABLED: 'false',
      KAFKA_SESSION_TIMEOUT_MS: '8000',
      LOG_LEVEL: 'warn',
    };
    const goLive = async (...args: string[]) => {
      const run = await runScript(GO_LIVE_CLI, args, accEnv);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    };
    const drained = () =>
      waitFor(
        'the accumulator to process every message',
        async () =>
          (await consumerLag(scratch.kafka, accEnv.CONSUMER_GROUP, [
            `${namespace}claims.v1`,
            `${namespace}households.v1`,
          ])) === 0,
        { timeoutMs: 120_000, intervalMs: 500 },
      );

    expect(await goLive('defer')).toMatchObject({ deferredSince: expect.any(String), waiting: 0 });
    const port = await freePort();
    accumulator = await startService('accumulator', { ...accEnv, ACCUMULATOR_PORT: String(port) }, port);

    const claims = CITY.flatMap((h, n) =>
      h.cash.map((cash, i) =>
        claim({ claimId: `H31011000012-G${n}-${i}`, personId: h.person, cash, serviceDate: daysAgo(5 + 20 * i) }),
      ),
    );
    await writeFile(
      join(dir, 'registry.jsonl'),
      jsonLines(
        CITY.map((h) => household({ householdId: h.id, streetCode: h.street, members: [h.person], income: h.income })),
      ),
    );
    await writeFile(join(dir, 'claims.jsonl'), jsonLines(claims));
    const env = backfillEnv(scratch);
    expect((await backfill(['--kind', 'households', 'registry.jsonl'], env, dir)).summary.accepted).toBe(6);

    // Streaming while the load runs, as ingest writes it: a resend of a claim the load also carries (it must
    // count once) and a new claim of the first warning household (it must count).
    const streamed = claim({ claimId: 'H31011000012-LIVE-1', personId: CITY[2]!.person, cash: '1000.00' });
    const resent = claims[0]!;
    const kafka = new Kafka({
      brokers: scratch.kafkaBrokers,
      clientId: uniqueId('stream'),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: `${namespace}claims.v1`,
      messages: [streamed, resent].map((c) => {
        const event = { ...c, personId: pseudonymise(c.personId), receivedAt: new Date().toISOString() };
        return { key: event.personId, value: JSON.stringify(event) };
      }),
    });
    await producer.disconnect();

    const load = await backfill(['--kind', 'claims', 'claims.jsonl'], env, dir);
    expect(load.summary).toMatchObject({ accepted: claims.length, rejected: 0 });
    await drained();

    // Deferred: nothing decided, nothing raised, every household waiting once.
    const admin = scratch.kafka.admin();
    await admin.connect();
    const statusEnd = async () =>
      (await admin.fetchTopicOffsets(`${namespace}household-status.v1`)).reduce((n, p) => n + Number(p.high), 0);
    try {
      expect(await statusEnd()).toBe(0);
    } finally {
      await admin.disconnect();
    }
    const redis = new Redis(scratch.redisUrl);
    const queues = new QueueSet(redis, accEnv.QUEUE_PREFIX);
    try {
      expect(await redis.smembers(streetDirectoryKey(accEnv.QUEUE_PREFIX))).toEqual([]);
      expect(await goLive('status')).toEqual({ deferredSince: expect.any(String), waiting: 6, alertsWaiting: 0 });

      const report = await goLive('release', '--wait-ms', '60000');

      expect(report).toEqual({
        evaluated: 6,
        published: 6,
        alerts: { action: 2, warning: 2, watch: 1 },
        streets: {
          '310113103': { action: 1, warning: 1, watch: 1 },
          '310113104': { action: 1, warning: 1, watch: 0 },
        },
      });
      const statuses = await readTopic(scratch.kafka, `${namespace}household-status.v1`, 6);
      expect(statuses).toHaveLength(6);
      const burden = Object.fromEntries(statuses.map((s) => [s.key, [s.value.level, s.value.burden12m]]));
      expect(burden).toEqual({
        HH310113000101: ['action', '30000.00'],
        HH310113000102: ['action', '30000.00'],
        HH310113000103: ['warning', '22000.00'],
        HH310113000104: ['warning', '19000.00'],
        HH310113000105: ['watch', '120000.00'],
        HH310113000106: ['none', '2000.00'],
      });

      // Raised in priority order: every action job was added before any warning job, every warning before the watch.
      const jobs = (
        await Promise.all(
          ['310113103', '310113104'].map((s) => queues.get(streetQueueName(s)).getJobs(['prioritized', 'waiting'])),
        )
      ).flat();
      expect(jobs).toHaveLength(5);
      expect(jobs.map((j) => j.name).sort()).toEqual(['action', 'action', 'warning', 'warning', 'watch']);
      expect(jobs.every((j) => j.opts.priority === { action: 1, warning: 2, watch: 3 }[j.name])).toBe(true);
      const at = (level: string) => jobs.filter((j) => j.name === level).map((j) => j.timestamp);
      expect(Math.max(...at('action'))).toBeLessThanOrEqual(Math.min(...at('warning')));
      expect(Math.max(...at('warning'))).toBeLessThanOrEqual(Math.min(...at('watch')));

      // Once: a second go-live has nothing left; loading the same files again changes no total, raises nothing.
      expect(await goLive('release', '--wait-ms', '0')).toMatchObject({
        evaluated: 0,
        alerts: { action: 0, warning: 0, watch: 0 },
      });
      const again = await backfill(['--kind', 'claims', '--fresh', 'claims.jsonl'], env, dir);
      expect(again.summary).toMatchObject({ accepted: claims.length, rejected: 0 });
      await drained();
      expect(await readTopic(scratch.kafka, `${namespace}household-status.v1`, 6)).toHaveLength(6);
      const after = (
        await Promise.all(
          ['310113103', '310113104'].map((s) => queues.get(streetQueueName(s)).getJobs(['prioritized', 'waiting'])),
        )
      ).flat();
      expect(after).toHaveLength(5);
    } finally {
      await queues.close();
      redis.disconnect();
    }
  });
});
