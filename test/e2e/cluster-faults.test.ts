// warnline on a 3-broker Kafka cluster (replication factor 3, min.insync.replicas 2) and a Redis Cluster
// (3 primaries, 3 replicas, AOF everysec), with real faults: kill -9 of the claims partition leader and its
// restart, kill -9 of a Redis primary (its replica promoted), and the window between a batch's Redis writes
// and its commit. After each fault the totals equal the claims sent, to the fen, and nothing is parked or
// dead-lettered. Accumulator kills, a rolling broker restart and the alerter's kill are in
// cluster-scale.test.ts; random faults for minutes in the soak: `npm run bench -- --soak 10m`.
import { writeFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate, streetDirectoryKey, streetQueueName } from '@warnline/contracts';
import {
  freePort,
  killKafkaNode,
  killRedisNode,
  pauseRedisNode,
  redisClusterNodes,
  startCluster,
  startKafkaNode,
  startRedisNode,
  waitForFailover,
  waitForReplicatedCluster,
  type ClusterInfra,
} from '@warnline/infra';
import { createRedisClient, ensureTopics, topicNames, topicSpecs, waitForReplicas } from '@warnline/runtime';
import { startService, uniqueId, uniqueNamespace, type RunningService } from '@warnline/test';
import {
  messagesOn,
  NetTotals,
  removeClusterRun,
  segmentedFeed,
  sendThroughFaults,
  waitForFullIsr,
  waitForTotals,
} from '../../bench/faults.ts';
import { E2E_PSEUDONYM_KEY } from './stack.ts';

const PARTITIONS = 6;
const SEGMENT_CLAIMS = 1_500;
const FAULT_TIMEOUT_MS = 600_000;

let cluster: ClusterInfra;
let kafka: Kafka;
let redis: Redis;
let accumulator: RunningService;
const namespace = uniqueNamespace();
const topics = topicNames(namespace);
const redisPrefix = uniqueId('wlc');
// BullMQ on a cluster: the prefix is a hash tag, so each queue's keys share one slot.
const queuePrefix = `{${uniqueId('wlcq')}}`;
const oracle = new NetTotals();
const feed = segmentedFeed({
  seed: 18,
  claims: SEGMENT_CLAIMS * 2,
  segments: 2,
  endDate: shanghaiDate(new Date()),
  pseudonymKey: E2E_PSEUDONYM_KEY,
});

async function expectTotalsToTheFen(): Promise<void> {
  const check = await waitForTotals(redis, oracle, redisPrefix, 240_000);
  expect(check.examples).toEqual([]);
  expect(check.match).toBe(true);
  expect(check.foundBurdenFen).toBe(check.expectedBurdenFen);
  // Nothing had to be set aside: every claim of the feed is valid and no fault turned into a parked record.
  expect(await messagesOn(kafka, `${namespace}accumulator.parked.v1`)).toBe(0);
  expect(await messagesOn(kafka, topics.claimsDlq)).toBe(0);
}

beforeAll(async () => {
  cluster = await startCluster();
  await waitForReplicatedCluster(cluster);
  kafka = new Kafka({ clientId: 'cluster-faults', brokers: cluster.kafkaBrokers, logLevel: logLevel.NOTHING });
  redis = createRedisClient({ REDIS_CLUSTER_NODES: cluster.redisNodes }, { maxRetriesPerRequest: null });
  await ensureTopics(kafka, topicSpecs(topics, PARTITIONS));
  await sendThroughFaults(kafka, topics.households, feed.households);
  const port = await freePort();
  accumulator = await startService(
    'accumulator',
    {
      ...cluster.env,
      TOPIC_NAMESPACE: namespace,
      TOPIC_PARTITIONS: String(PARTITIONS),
      CONSUMER_GROUP: uniqueId('g'),
      REDIS_PREFIX: redisPrefix,
      QUEUE_PREFIX: queuePrefix,
      ROLLOVER_ENABLED: 'false',
      // A killed broker's group coordinator moves within seconds; the default 30 s would only slow the test.
      KAFKA_SESSION_TIMEOUT_MS: '10000',
      LOG_LEVEL: process.env.CLUSTER_FAULTS_LOG ? 'debug' : 'warn',
      ACCUMULATOR_PORT: String(port),
    },
    port,
  );
}, FAULT_TIMEOUT_MS);

afterAll(async () => {
  const code = await accumulator?.stop();
  if (code !== 0 && code !== null) process.stderr.write(accumulator.output().slice(-3000));
  if (process.env.CLUSTER_FAULTS_LOG) writeFileSync(process.env.CLUSTER_FAULTS_LOG, accumulator?.output() ?? '');
  await removeClusterRun(cluster, kafka, redis, namespace, [redisPrefix, queuePrefix]);
  redis?.disconnect();
}, FAULT_TIMEOUT_MS);

describe('on a 3-broker Kafka cluster and a Redis Cluster', () => {
  it(
    'kill -9 of the claims partition leader mid-stream, then its restart: the totals equal the claims sent',
    async () => {
      const admin = kafka.admin();
      await admin.connect();
      const meta = await admin.fetchTopicMetadata({ topics: [topics.claims] });
      await admin.disconnect();
      const leader = meta.topics[0]!.partitions.find((p) => p.partitionId === 0)!.leader;
      const segment = feed.segments[0]!;
      let killed = false;
      const { retries } = await sendThroughFaults(kafka, topics.claims, segment, {
        onSent: (part) => part.forEach((c) => oracle.add(c)),
        between: async (sent) => {
          if (!killed && sent >= segment.length / 3) {
            killed = true;
            await killKafkaNode(cluster, leader);
          }
        },
      });
      expect(killed).toBe(true);
      await startKafkaNode(leader);
      await expectTotalsToTheFen();
      await waitForFullIsr(kafka, [topics.claims]);
      process.stderr.write(`[cluster-faults] broker ${leader} killed; ${retries} sends retried\n`);
    },
    FAULT_TIMEOUT_MS,
  );

  it(
    'kill -9 of a Redis primary mid-stream: its replica is promoted and the totals equal the claims sent',
    async () => {
      await waitForReplicatedCluster(cluster);
      const primary = (await redisClusterNodes(cluster)).find((n) => n.role === 'master' && !n.failed)!;
      const segment = feed.segments[1]!;
      let killed = false;
      await sendThroughFaults(kafka, topics.claims, segment, {
        onSent: (part) => part.forEach((c) => oracle.add(c)),
        between: async (sent) => {
          if (!killed && sent >= segment.length / 3) {
            killed = true;
            await killRedisNode(cluster, primary.port);
          }
        },
      });
      expect(killed).toBe(true);
      await waitForFailover(cluster, primary.port);
      const promoted = (await redisClusterNodes(cluster)).filter((n) => n.role === 'master' && !n.failed);
      expect(promoted.map((n) => n.port)).not.toContain(primary.port);
      await expectTotalsToTheFen();
      // The killed node comes back as a replica of the one that took over its slots.
      await startRedisNode(primary.port);
    },
    FAULT_TIMEOUT_MS,
  );

  it(
    'a write the replica acknowledged (WAIT) survives kill -9 of its primary; an unacknowledged one is never committed',
    async () => {
      const client = createRedisClient({ REDIS_CLUSTER_NODES: cluster.redisNodes }, { maxRetriesPerRequest: null });
      try {
        const key = `${redisPrefix}:{window}:claims`;
        await client.hset(key, 'c1', '1');
        await waitForReplicas([client]);
        const nodes = await redisClusterNodes(cluster);
        const slot = Number(await client.call('CLUSTER', 'KEYSLOT', key));
        const owner = await primaryOfSlot(client, slot);
        const replica = nodes.find(
          (n) => n.role === 'slave' && n.primaryId === nodes.find((p) => p.port === owner)!.id,
        )!;
        // The replica stops (SIGSTOP): a write now reaches the primary only, the exact window in which a
        // failover loses it. The wait before the commit refuses it instead of committing.
        const resume = await pauseRedisNode(cluster, replica.port);
        let refused: (Error & { retriable?: boolean }) | null;
        try {
          await client.hset(key, 'c2', '2');
          refused = await waitForReplicas([client]).then(
            () => null,
            (err: unknown) => err as Error & { retriable?: boolean },
          );
        } finally {
          resume();
        }
        expect(refused?.name).toBe('ReplicaWaitError');
        expect(refused?.retriable).toBe(true);
        // Now acknowledged: the primary's kill -9 right after loses nothing.
        await waitForReplicas([client]);
        await killRedisNode(cluster, owner);
        await waitForFailover(cluster, owner);
        expect(await client.hgetall(key)).toEqual({ c1: '1', c2: '2' });
        await startRedisNode(owner);
      } finally {
        client.disconnect();
      }
    },
    FAULT_TIMEOUT_MS,
  );

  it('the alert queues work on the cluster with a hash-tagged BullMQ prefix', async () => {
    // The feed raises alerts; their jobs are on the street queues under the hash-tagged prefix, and the
    // street directory (a set and a channel under the same prefix) names those streets.
    const { Queue } = await import('bullmq');
    const streets = await redis.smembers(streetDirectoryKey(queuePrefix));
    expect(streets.length).toBeGreaterThan(0);
    let jobs = 0;
    for (const street of streets) {
      const queue = new Queue(streetQueueName(street), { connection: redis, prefix: queuePrefix });
      const counts = await queue.getJobCounts();
      const ids = (await queue.getJobs()).map((j) => j.id);
      // One job per (household, level, month): the job id says it, so no id appears twice.
      expect(new Set(ids).size).toBe(ids.length);
      jobs += Object.values(counts).reduce((a, b) => a + b, 0);
      await queue.close();
    }
    expect(jobs).toBeGreaterThan(0);
  });
});

async function primaryOfSlot(client: Redis, slot: number): Promise<number> {
  const slots = (await client.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
  const range = slots.find(([from, to]) => slot >= from && slot <= to)!;
  return range[2][1];
}
