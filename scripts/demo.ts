// The demo pipeline: a real Kafka broker and Redis, the three services as separate processes, a small
// synthetic HIS feed through ingest over HTTP, then what each street office's queue received.
//
//   bash scripts/demo.sh [--households N] [--seed S]
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { parseArgs } from 'node:util';
import { streetQueueName, type AlertAuditEvent, type AlertJobData } from '@warnline/contracts';
import { freePort, provideInfra, startService, waitFor, type RunningService } from '@warnline/infra';
import { demoFeed, sendFeed } from './demo-feed.ts';

const { values: args } = parseArgs({
  options: { households: { type: 'string', default: '60' }, seed: { type: 'string', default: '7' } },
});
const say = (line: string) => process.stdout.write(`${line}\n`);

const infra = await provideInfra();
const runId = `demo${Date.now().toString(36)}`;
const ingestToken = `demo-hospital-${runId}-0123456789`;
const registryToken = `demo-registry-${runId}-0123456789`;
const env = {
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  REDIS_URL: infra.redisUrl,
  TOPIC_NAMESPACE: `${runId}.`,
  TOPIC_PARTITIONS: '3',
  CONSUMER_GROUP: `${runId}-accumulator`,
  REDIS_PREFIX: runId,
  // Its own BullMQ prefix (production uses "warnline"), so a demo never mixes with other queues.
  QUEUE_PREFIX: runId,
  PSEUDONYM_KEY: `demo-pseudonym-key-${runId}-not-for-production`,
  INGEST_TOKENS: JSON.stringify([
    { name: 'demo-hospitals', token: ingestToken, role: 'hospital', institutions: ['*'] },
    { name: 'demo-registry', token: registryToken, role: 'registry' },
  ]),
  ALERTER_TOKENS: JSON.stringify([{ name: 'demo-supervisor', token: `demo-admin-${runId}-0123456789`, role: 'admin' }]),
  LOG_LEVEL: 'warn',
};
const adminToken = `demo-admin-${runId}-0123456789`;
const services: RunningService[] = [];
const redis = new Redis(infra.redisUrl);

async function call(url: string, token: string, body?: unknown): Promise<unknown> {
  const res = await fetch(
    url,
    body === undefined
      ? { headers: { authorization: `Bearer ${token}` } }
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        },
  );
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

const LEVEL_RANK: Record<string, number> = { action: 3, warning: 2, watch: 1 };

/** Highest level first, then the highest burden ratio (unknown last), then household id: one answer per feed. */
function byUrgency(a: AlertJobData, b: AlertJobData): number {
  const ratio = (d: AlertJobData) => (d.burdenRatio === null ? -1 : Number(d.burdenRatio));
  return (
    (LEVEL_RANK[b.level] ?? 0) - (LEVEL_RANK[a.level] ?? 0) ||
    ratio(b) - ratio(a) ||
    a.householdId.localeCompare(b.householdId)
  );
}

/** Waits until the alerter has recorded the household's alert at that level, and returns its id. */
async function alertOf(alerterUrl: string, job: AlertJobData): Promise<string> {
  return waitFor(
    `the alert of ${job.householdId} at level ${job.level}`,
    async () => {
      const page = (await call(
        `${alerterUrl}/v1/streets/${job.streetCode}/alerts?state=new&limit=500`,
        adminToken,
      )) as {
        alerts: { alertId: string; householdId: string; level: string }[];
      };
      return page.alerts.find((a) => a.householdId === job.householdId && a.level === job.level)?.alertId;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
}

try {
  const ports = { ingest: await freePort(), accumulator: await freePort(), alerter: await freePort() };
  say(`[demo] starting ingest, accumulator and alerter as separate processes`);
  const ingest = await startService('ingest', { ...env, INGEST_PORT: String(ports.ingest) }, ports.ingest);
  services.push(ingest);
  services.push(
    await startService('accumulator', { ...env, ACCUMULATOR_PORT: String(ports.accumulator) }, ports.accumulator),
  );
  const alerter = await startService(
    'alerter',
    { ...env, ALERTER_PORT: String(ports.alerter), ALERTER_DISCOVERY_INTERVAL_MS: '500' },
    ports.alerter,
  );
  services.push(alerter);

  const feed = demoFeed(Number(args.seed), Number(args.households));
  say(
    `[demo] synthetic feed: ${feed.households.length} households, ${feed.claims.length} claim deliveries (seed ${args.seed}, 2 of the households in acute trouble)`,
  );
  await sendFeed(
    feed,
    {
      ingestUrl: ingest.url,
      registryToken,
      hospitalToken: ingestToken,
      kafka: new Kafka({ brokers: infra.kafkaBrokers, clientId: 'demo', logLevel: logLevel.NOTHING }),
      consumerGroup: env.CONSUMER_GROUP,
      namespace: env.TOPIC_NAMESPACE,
    },
    say,
  );

  const streets = feed.streets;
  // The figures behind the alerts that a caseworker must verify (stale or unconfirmed), once each.
  const warned = new Map<string, { message: string; alerts: number }>();
  const ours = new Set(feed.households.map((h) => h.householdId));
  /** The highest job of every household that got one, over all streets. */
  const raised: AlertJobData[] = [];
  say('');
  say(`What the street queues received (BullMQ, prefix "${env.QUEUE_PREFIX}"):`);
  for (const street of streets) {
    // BullMQ does not close a connection it was given, so the queue gets its own and we close both.
    const connection = redis.duplicate();
    const queue = new Queue(streetQueueName(street), { connection, prefix: env.QUEUE_PREFIX });
    // Once the alerter has taken every job, jobs no longer move between states while they are listed (a
    // job listed as waiting and then again as completed would show twice).
    await waitFor(
      `the alerter to take every job of ${street}`,
      async () => {
        const counts = await queue.getJobCounts('prioritized', 'waiting', 'active', 'delayed');
        return Object.values(counts).every((n) => n === 0);
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const jobs = new Map(
      (await queue.getJobs(['completed', 'failed']))
        .filter((j) => j.id !== undefined && ours.has((j.data as AlertJobData).householdId))
        .map((j) => [j.id, j.data as AlertJobData]),
    );
    // One line per household: its highest raise, and the levels it passed through on the way.
    const perHousehold = new Map<string, AlertJobData[]>();
    for (const d of jobs.values()) perHousehold.set(d.householdId, [...(perHousehold.get(d.householdId) ?? []), d]);
    const households = [...perHousehold.values()]
      .map((list) => list.sort(byUrgency))
      .sort((a, b) => byUrgency(a[0]!, b[0]!));
    say(`\n  ${streetQueueName(street)}: ${households.length} household(s) alerted, ${jobs.size} job(s)`);
    for (const [d, ...earlier] of households) {
      if (!d) continue;
      raised.push(d);
      const codes = d.findings.map((f) => f.code).join(', ') || '-';
      for (const w of d.warnings ?? []) {
        const key = `${w.code} ${w.parameter?.name ?? ''} ${w.parameter?.from ?? ''}`;
        warned.set(key, { message: w.message, alerts: (warned.get(key)?.alerts ?? 0) + 1 });
      }
      const before = earlier.length > 0 ? `  (raised before as ${earlier.map((e) => e.level).join(', ')})` : '';
      say(
        `    ${d.level.padEnd(8)} ${d.householdId}  burden12m ${d.burden12m.padStart(10)}  income ${(d.income ?? 'unknown').padStart(10)}  ratio ${d.burdenRatio ?? '-'}  ${codes}${before}`,
      );
    }
    await queue.close();
    await connection.quit();
  }
  if (warned.size > 0) {
    say('\n  Warnings on these alerts (the figures to verify before relying on them):');
    for (const [key, { message, alerts }] of warned) say(`    ${key} (${alerts} alert(s)): ${message}`);
  }
  say('');

  // The caseworker's side: the most urgent alert of the whole feed, chosen from what the queues hold (not
  // from whichever alert the alerter happened to record first).
  const top = raised.sort(byUrgency)[0];
  if (top) {
    const alertId = await alertOf(alerter.url, top);
    say(
      `The caseworker loop on alert ${alertId} (household ${top.householdId}, street ${top.streetCode}, level ${top.level}, ratio ${top.burdenRatio ?? '-'}), through the alerter API:`,
    );
    const steps = [
      { to: 'acknowledged', note: '已接收预警 / alert taken' },
      { to: 'investigating', note: '入户摸排核实 / home visit to verify' },
      {
        to: 'closed',
        outcome: 'assistance-granted',
        note: '核实后纳入医疗救助 / verified on the visit, assistance granted',
      },
    ];
    for (const step of steps) await call(`${alerter.url}/v1/alerts/${alertId}/transitions`, adminToken, step);
    const { history } = (await call(`${alerter.url}/v1/alerts/${alertId}/history`, adminToken)) as {
      history: AlertAuditEvent[];
    };
    for (const e of history)
      say(
        `    #${e.seq} ${e.at}  ${e.actor.name.padEnd(16)} ${e.action.padEnd(14)} ${String(e.from ?? '-').padEnd(13)} → ${e.to.padEnd(13)} ${e.note ?? ''}`,
      );
    say('');
  }
} finally {
  for (const s of services.reverse()) await s.stop();
  // The demo's own keys and queues only (both under the run's prefix): the Redis may be shared.
  for (const key of await redis.keys(`${runId}:*`)) await redis.del(key);
  await redis.quit();
  // And its own topics (all under the run's namespace), unless the broker goes away anyway.
  const admin = new Kafka({
    brokers: infra.kafkaBrokers,
    clientId: 'demo-cleanup',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${runId}.`));
  if (topics.length > 0) await admin.deleteTopics({ topics });
  // And its consumer groups (the accumulator's and ingest's, both named after the run). The services have
  // left them on SIGTERM; the broker may take a moment to see them empty, so deletion is retried until then.
  const demoGroups = async () =>
    (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(runId));
  await waitFor(
    'the demo consumer groups deleted',
    async () => {
      const groups = await demoGroups();
      if (groups.length > 0) await admin.deleteGroups(groups);
      return (await demoGroups()).length === 0;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  ).catch(async (err: unknown) =>
    say(`[demo] consumer groups left behind: ${(await demoGroups()).join(', ')} (${String(err)})`),
  );
  await admin.disconnect();
  await infra.stop();
}
