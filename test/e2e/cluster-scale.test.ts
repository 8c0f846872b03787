// warnline scaled out on the cluster of infra/cluster.sh (3 Kafka brokers, a Redis Cluster of 3 primaries and
// 3 replicas), with the faults of daily operation while claims flow: three accumulator instances over 12
// partitions, each killed in turn with kill -9 and restarted; a clean rolling restart of the three brokers;
// the alerter killed with kill -9 while caseworkers' transitions are in flight, the console meanwhile. After
// each: every person's and every household's totals equal the claims sent, to the fen; at most one alert job
// per (household, level, month) and one for every household the accumulator decided at a level; nothing
// parked or dead-lettered (every claim sent is valid); and after the alerter's restart every alert equals its
// history, every event is on the audit topic, every answered transition is kept.
import { Kafka, logLevel } from 'kafkajs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  personStateKeys,
  CHARITY_QUEUE,
  shanghaiDate,
  streetDirectoryKey,
  streetQueueName,
  type AlertAuditEvent,
} from '@warnline/contracts';
import {
  freePort,
  restartKafkaNodeCleanly,
  startCluster,
  waitForReplicatedCluster,
  type ClusterInfra,
} from '@warnline/infra';
import { createRedisClient, ensureTopics, topicNames, topicSpecs } from '@warnline/runtime';
import { startService, uniqueId, uniqueNamespace, waitFor, type RunningService } from '@warnline/test';
import {
  messagesOn,
  NetTotals,
  removeClusterRun,
  segmentedFeed,
  sendThroughFaults,
  waitForFullIsr,
  waitForTotals,
} from '../../bench/faults.ts';
import { checkAlertJobs, checkHouseholdTotals } from '../../bench/run-checks.ts';
import {
  launchChromium,
  signInAt,
  startConsole,
  stopConsole,
} from '../../services/console/test/integration/browser.ts';
import { E2E_PSEUDONYM_KEY } from './stack.ts';

const PARTITIONS = 12;
const INSTANCES = 3;
/** Claims of each of the two flowing phases; sent in chunks of CHUNK, one chunk every CHUNK_EVERY_MS at most. */
const PHASE_CLAIMS = 3_000;
const CHUNK = 50;
const CHUNK_EVERY_MS = 400;
const TIMEOUT_MS = 600_000;
const ADMIN_TOKEN = uniqueId('cluster-scale-admin-token-');

let cluster: ClusterInfra;
let kafka: Kafka;
let redis: Redis;
const accumulators: RunningService[] = [];
const namespace = uniqueNamespace();
const topics = topicNames(namespace);
const redisPrefix = uniqueId('wls');
// BullMQ on a cluster: the prefix is a hash tag, so each queue's keys share one slot.
const queuePrefix = `{${uniqueId('wlsq')}}`;
const group = uniqueId('g');
const oracle = new NetTotals();
const feed = segmentedFeed({
  seed: 31,
  claims: PHASE_CLAIMS * 2,
  segments: 2,
  endDate: shanghaiDate(new Date()),
  pseudonymKey: E2E_PSEUDONYM_KEY,
});

const serviceEnv = () => ({
  ...cluster.env,
  TOPIC_NAMESPACE: namespace,
  TOPIC_PARTITIONS: String(PARTITIONS),
  CONSUMER_GROUP: group,
  REDIS_PREFIX: redisPrefix,
  QUEUE_PREFIX: queuePrefix,
  ROLLOVER_ENABLED: 'false',
  // The broker's minimum: a killed instance's partitions move to the others after 6 s, not 30.
  KAFKA_SESSION_TIMEOUT_MS: '6000',
  LOG_LEVEL: 'warn',
});

async function startAccumulator(): Promise<RunningService> {
  const port = await freePort();
  return startService('accumulator', { ...serviceEnv(), ACCUMULATOR_PORT: String(port) }, port);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends a segment of the feed at a steady pace while `fault` runs, never ahead of `allowed()` (so claims are
 * still flowing when the fault's last step begins), then waits for the fault to finish.
 */
async function flowDuring(
  segment: (typeof feed.segments)[number],
  allowed: () => number,
  fault: () => Promise<void>,
): Promise<void> {
  let done = false;
  const faulting = fault().finally(() => (done = true));
  const { retries, discardedSessions } = await sendThroughFaults(kafka, topics.claims, segment, {
    chunk: CHUNK,
    onSent: (part) => part.forEach((c) => oracle.add(c)),
    between: async (sent) => {
      await sleep(CHUNK_EVERY_MS);
      while (!done && sent >= allowed()) await sleep(200);
    },
  });
  await faulting;
  process.stderr.write(
    `[cluster-scale] ${segment.length} claims sent; chunks sent again ${retries} times, producer sessions replaced ${discardedSessions} times\n`,
  );
}

/** Totals per person and per household to the fen, alert jobs unique and complete, nothing set aside. */
async function expectRunConsistent(): Promise<void> {
  const totals = await waitForTotals(redis, oracle, redisPrefix, 240_000);
  if (!totals.match) await reportStuck(totals.mismatches, totals.examples);
  expect(totals.examples).toEqual([]);
  expect(totals.match).toBe(true);
  expect(totals.foundBurdenFen).toBe(totals.expectedBurdenFen);
  const households = await checkHouseholdTotals(redis, oracle, feed.households, redisPrefix);
  expect(households.mismatches).toEqual([]);
  // The last claims' evaluations may still be on their way to the queues: the check settles, then must hold.
  let alerts = await checkAlertJobs(redis, redisPrefix, queuePrefix);
  await waitFor(
    'a job for every household decided at a level',
    async () => (alerts = await checkAlertJobs(redis, redisPrefix, queuePrefix)).missing.length === 0,
    { timeoutMs: 30_000, intervalMs: 1_000 },
  ).catch(() => undefined);
  expect(alerts.duplicates).toEqual([]);
  expect(alerts.missing).toEqual([]);
  expect(alerts.decided).toBeGreaterThan(0);
  expect(alerts.jobs).toBeGreaterThanOrEqual(alerts.decided);
  expect(await messagesOn(kafka, `${namespace}accumulator.parked.v1`)).toBe(0);
  expect(await messagesOn(kafka, topics.claimsDlq)).toBe(0);
  process.stderr.write(
    `[cluster-scale] ${totals.persons} persons, ${households.households} households, ${alerts.decided} decided at a level, ${alerts.jobs} alert jobs\n`,
  );
}

/** What a failed totals check needs to be understood: the group's lag per partition and the instances' logs. */
async function reportStuck(mismatches: number, examples: string[]): Promise<void> {
  const persons = [...new Set(examples.map((e) => e.split(' ')[0]!))];
  for (const p of persons)
    process.stderr.write(
      `[cluster-scale] ${p}: claims hash ${await redis.hlen(personStateKeys.personClaims(redisPrefix, p))} fields, person hash ${await redis.hlen(personStateKeys.person(redisPrefix, p))} fields, months sent ${JSON.stringify([...oracle.months(p)])}\n`,
    );
  {
    const admin = kafka.admin();
    await admin.connect();
    const total = (await admin.fetchTopicOffsets(topics.claims)).reduce((n, p) => n + Number(p.high), 0);
    await admin.disconnect();
    const consumer = kafka.consumer({ groupId: uniqueId('diag') });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.claims, fromBeginning: true });
    let seen = 0;
    const hits: string[] = [];
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        seen++;
        const key = message.key?.toString() ?? '';
        if (persons.includes(key)) hits.push(`${key.slice(0, 8)}@${partition}:${message.offset}`);
      },
    });
    await waitFor('claims read', () => seen >= total, { timeoutMs: 60_000, intervalMs: 200 }).catch(() => undefined);
    await consumer.disconnect();
    process.stderr.write(`[cluster-scale] topic holds ${seen}/${total}; their claims at ${hits.join(' ')}\n`);
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topics.claims);
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topics.claims] });
    const lag = ends.map((e) => {
      const c = committed!.partitions.find((p) => p.partition === e.partition)?.offset ?? '-1';
      return `${e.partition}:${Number(e.high) - Number(c)}`;
    });
    const members = (await admin.describeGroups([group])).groups[0]?.members.length;
    process.stderr.write(
      `[cluster-scale] ${mismatches} persons off; group ${group} has ${members} members; lag by partition ${lag.join(' ')}\n`,
    );
  } finally {
    await admin.disconnect();
  }
  accumulators.forEach((a, i) => process.stderr.write(`--- accumulator ${i + 1} ---\n${a.output().slice(-4000)}\n`));
}

beforeAll(async () => {
  cluster = await startCluster();
  await waitForReplicatedCluster(cluster);
  kafka = new Kafka({ clientId: 'cluster-scale', brokers: cluster.kafkaBrokers, logLevel: logLevel.NOTHING });
  redis = createRedisClient({ REDIS_CLUSTER_NODES: cluster.redisNodes }, { maxRetriesPerRequest: null });
  await ensureTopics(kafka, topicSpecs(topics, PARTITIONS));
  await sendThroughFaults(kafka, topics.households, feed.households);
  for (let i = 0; i < INSTANCES; i++) accumulators.push(await startAccumulator());
}, TIMEOUT_MS);

afterAll(async () => {
  for (const a of accumulators) {
    const code = await a.stop();
    if (code !== 0 && code !== null) process.stderr.write(a.output().slice(-3000));
  }
  await removeClusterRun(cluster, kafka, redis, namespace, [redisPrefix, queuePrefix]);
  redis?.disconnect();
}, TIMEOUT_MS);

describe('scaled out on a 3-broker Kafka cluster and a Redis Cluster', () => {
  it(
    'three accumulators over 12 partitions, each killed with kill -9 and restarted while claims flow',
    async () => {
      const segment = feed.segments[0]!;
      let kills = 0;
      const killed: (string | null)[] = [];
      await flowDuring(
        segment,
        () => (segment.length * (kills + 1)) / (INSTANCES + 1),
        async () => {
          for (let i = 0; i < INSTANCES; i++) {
            // Let the group settle and the instance work for a while before its crash.
            await sleep(5_000);
            const victim = accumulators[i]!;
            await victim.kill();
            killed.push(victim.process.signalCode);
            accumulators[i] = await startAccumulator();
            kills++;
          }
        },
      );
      expect(killed).toEqual(['SIGKILL', 'SIGKILL', 'SIGKILL']);
      await expectRunConsistent();
    },
    TIMEOUT_MS,
  );

  it(
    'a clean rolling restart of the three brokers while claims flow',
    async () => {
      const segment = feed.segments[1]!;
      let restarted = 0;
      const inSync = [topics.claims, topics.households, topics.householdStatus, '__consumer_offsets'];
      await flowDuring(
        segment,
        () => (segment.length * (restarted + 1)) / 4,
        async () => {
          for (const node of [1, 2, 3]) {
            await restartKafkaNodeCleanly(cluster, node);
            // The next broker goes down only once every partition has its three replicas in sync again.
            await waitForFullIsr(kafka, inSync);
            restarted++;
          }
        },
      );
      expect(restarted).toBe(3);
      await expectRunConsistent();
    },
    TIMEOUT_MS,
  );

  describe('the alerter killed with kill -9 while transitions are in flight', () => {
    const alerterPrefix = uniqueId('wlsa');
    const consolePrefix = uniqueId('wlsc');
    let alerterPort: number;
    let alerter: RunningService | undefined;
    let consoleService: RunningService | undefined;
    let streets: string[];

    const startAlerter = async () =>
      startService(
        'alerter',
        {
          ...serviceEnv(),
          REDIS_PREFIX: alerterPrefix,
          ALERTER_PORT: String(alerterPort),
          ALERTER_TOKENS: JSON.stringify([{ name: 'cluster-admin', token: ADMIN_TOKEN, role: 'admin' }]),
          ALERTER_STREETS: streets.join(','),
          // The relay finishes what a crash interrupted: soon, so the test need not wait 5 s for it.
          ALERTER_OUTBOX_INTERVAL_MS: '500',
        },
        alerterPort,
      );

    const api = async (path: string, body?: unknown) => {
      const res = await fetch(`http://127.0.0.1:${alerterPort}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    beforeAll(async () => {
      streets = await redis.smembers(streetDirectoryKey(queuePrefix));
      alerterPort = await freePort();
      alerter = await startAlerter();
      consoleService = await startConsole(`http://127.0.0.1:${alerterPort}`, inject('redisUrl'), consolePrefix);
    }, TIMEOUT_MS);

    afterAll(async () => {
      const code = await alerter?.stop();
      if (code !== 0 && code !== null) process.stderr.write(alerter!.output().slice(-3000));
      await stopConsole(consoleService, inject('redisUrl'), consolePrefix);
      await removeClusterRun(cluster, undefined, redis, namespace, [alerterPrefix]);
    }, TIMEOUT_MS);

    it(
      'while it is down the console answers 503 "service unavailable"; after its restart every alert equals its history',
      async () => {
        // Every street job recorded as an alert first.
        const { Queue } = await import('bullmq');
        await waitFor(
          'the alerter to record every street job',
          async () => {
            for (const street of streets) {
              const queue = new Queue(streetQueueName(street), { connection: redis, prefix: queuePrefix });
              const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
              await queue.close();
              if (Object.values(counts).some((n) => n > 0)) return false;
            }
            return true;
          },
          { timeoutMs: 60_000, intervalMs: 500 },
        );
        const open: { alertId: string; streetCode: string }[] = [];
        for (const street of streets) {
          const page = await api(`/v1/streets/${street}/alerts?state=new&limit=100`);
          expect(page.status).toBe(200);
          open.push(...(page.body.alerts as { alertId: string; streetCode: string }[]));
        }
        expect(open.length).toBeGreaterThan(3);
        const chosen = open.slice(0, 16);

        // Two caseworkers on each alert, step by step to closing; kill -9 once a third of the steps answered.
        const steps = [
          { to: 'acknowledged', note: '已电话联系' },
          { to: 'investigating', note: '入户核查' },
          { to: 'closed', outcome: 'charity-referred', note: '转介慈善' },
        ];
        const answered: { alertId: string; to: string; status: number }[] = [];
        // Signed in to the console before the crash, with a session the crash does not end.
        const browser = await launchChromium();
        try {
          const { context, page } = await signInAt(browser, consoleService!.url, ADMIN_TOKEN);
          const worklist = `/streets/${chosen[0]!.streetCode}`;
          expect((await page.goto(worklist))!.status()).toBe(200);

          let crashed = false;
          const crash = waitFor(
            'a third of the transitions to be answered',
            () => answered.length >= chosen.length * 2,
            {
              timeoutMs: 60_000,
              intervalMs: 20,
            },
          ).then(async () => {
            await alerter!.kill();
            crashed = true;
          });
          await Promise.all(
            chosen.flatMap((a) =>
              [0, 1].map(async () => {
                for (const step of steps) {
                  const res = await api(`/v1/alerts/${a.alertId}/transitions`, step).catch(() => null);
                  if (res === null) return; // no answer: the alerter is gone
                  answered.push({ alertId: a.alertId, to: step.to, status: res.status });
                }
              }),
            ),
          );
          await crash;
          expect(crashed).toBe(true);
          expect(alerter!.process.signalCode).toBe('SIGKILL');

          // Down: the console says so, in Chinese and in English, with 503 — never an empty or stale list.
          const down = await page.goto(worklist);
          expect(down!.status()).toBe(503);
          expect(await page.title()).toContain('服务暂不可用');
          await expect(page.locator('main').innerText()).resolves.toContain('预警服务暂时没有响应');
          expect(await page.locator('[data-testid="alert-count"]').count()).toBe(0);
          expect(await page.content()).not.toContain('没有符合条件的预警');
          const english = await page.goto(`/lang?to=en&back=${encodeURIComponent(`/alerts/${chosen[0]!.alertId}`)}`);
          expect(page.url()).toContain(`/alerts/${chosen[0]!.alertId}`);
          expect(english!.status()).toBe(503);
          expect(await page.title()).toContain('Service unavailable');
          await expect(page.locator('main').innerText()).resolves.toContain('The alert service does not answer');
          await context.close();
        } finally {
          await browser.close();
        }

        alerter = await startAlerter();
        // The relay runs at start and every 500 ms: every interrupted event's effects are done and its entry gone.
        await waitFor(
          'every street outbox to be empty',
          async () => {
            for (const street of streets)
              if ((await redis.llen(`${alerterPrefix}:alerter:{st:${street}}:outbox`)) > 0) return false;
            return true;
          },
          { timeoutMs: 60_000, intervalMs: 250 },
        );

        const audit = await readAudit();
        const charity = new Queue(CHARITY_QUEUE, { connection: redis, prefix: queuePrefix });
        try {
          for (const { alertId } of chosen) {
            const alert = await api(`/v1/alerts/${alertId}`);
            const history = (await api(`/v1/alerts/${alertId}/history`)).body.history as AlertAuditEvent[];
            // The state is the last event's: a transition is all there (record, history, outbox) or not at all.
            expect(alert.body.state).toBe(history.at(-1)!.to);
            expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
            for (const step of steps) {
              const events = history.filter((e) => e.action === step.to);
              // Two caseworkers, one winner: a transition is in the history once at most.
              expect(events.length).toBeLessThanOrEqual(1);
              // A 200 is kept.
              if (answered.some((r) => r.alertId === alertId && r.to === step.to && r.status === 200))
                expect(events).toHaveLength(1);
            }
            // Every event reached the audit topic; a redelivered one is the same event.
            for (const { eventId, seq, action, from, to } of history)
              expect(audit.get(eventId)).toMatchObject({ eventId, seq, action, from, to });
            if (alert.body.state === 'closed') expect(await charity.getJob(alertId)).toBeDefined();
          }
        } finally {
          await charity.close();
        }
        const refusals = answered.filter((r) => r.status !== 200);
        expect(refusals.every((r) => r.status === 409)).toBe(true);
        process.stderr.write(
          `[cluster-scale] alerter killed after ${answered.length} answered transitions (${refusals.length} 409); ${audit.size} audit events\n`,
        );
      },
      TIMEOUT_MS,
    );
  });
});

/** Every event on the audit topic by event id; a second copy of an id must be the same event. */
async function readAudit(): Promise<Map<string, AlertAuditEvent>> {
  const admin = kafka.admin();
  await admin.connect();
  const high = (await admin.fetchTopicOffsets(topics.alertsAudit)).reduce((n, p) => n + Number(p.high), 0);
  await admin.disconnect();
  const events = new Map<string, AlertAuditEvent>();
  const consumer = kafka.consumer({ groupId: uniqueId('audit-reader') });
  await consumer.connect();
  await consumer.subscribe({ topic: topics.alertsAudit, fromBeginning: true });
  let seen = 0;
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen++;
      const event = JSON.parse(message.value!.toString()) as AlertAuditEvent;
      const earlier = events.get(event.eventId);
      if (earlier) expect(event).toEqual(earlier);
      events.set(event.eventId, event);
    },
  });
  await waitFor('the audit topic to be read', () => seen >= high, { timeoutMs: 60_000, intervalMs: 200 });
  await consumer.disconnect();
  return events;
}
