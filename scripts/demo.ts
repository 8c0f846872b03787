// The demo pipeline: a real Kafka broker and Redis, the three services as separate processes, a small
// synthetic HIS feed through ingest over HTTP, then what each street office's queue received.
//
//   bash scripts/demo.sh [--households N] [--seed S]
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { parseArgs } from 'node:util';
import { shanghaiDate, streetQueueName, type AlertAuditEvent, type AlertJobData } from '@warnline/contracts';
import { freePort, provideInfra } from '@warnline/infra';
import { topicNames } from '@warnline/runtime';
import { generateFeed, generateTriggers } from '@warnline/synthetic';
import { consumerLag } from '../test/support/lag.ts';
import { startService, type RunningService } from '../test/support/services.ts';
import { waitFor } from '../test/support/wait.ts';

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

async function post(url: string, token: string, body: unknown): Promise<{ accepted: number; rejected: unknown[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (res.status !== 202) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { accepted: number; rejected: unknown[] };
}

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

/** The highest-level new alert the alerter has recorded, waiting briefly for it to take the jobs. */
async function topAlert(
  alerterUrl: string,
  streets: string[],
): Promise<{ alertId: string; streetCode: string; level: string } | null> {
  const rank: Record<string, number> = { action: 3, warning: 2, watch: 1 };
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const found: { alertId: string; streetCode: string; level: string }[] = [];
    for (const street of streets) {
      const page = (await call(`${alerterUrl}/v1/streets/${street}/alerts?state=new`, adminToken)) as {
        alerts: { alertId: string; level: string }[];
      };
      for (const a of page.alerts) found.push({ alertId: a.alertId, streetCode: street, level: a.level });
    }
    if (found.length > 0) return found.sort((a, b) => (rank[b.level] ?? 0) - (rank[a.level] ?? 0))[0]!;
    await new Promise((r) => setTimeout(r, 250));
  }
  return null;
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

  const endDate = shanghaiDate(new Date(Date.now() - 86_400_000));
  const generated = generateFeed({ seed: Number(args.seed), households: Number(args.households), endDate, streets: 4 });
  // Two households with one large inpatient bill against a small income, so the demo shows `action` too.
  const feedStreets = [...new Set(generated.households.map((h) => h.streetCode))].sort();
  const triggers = [0, 2].map(
    (i, k) =>
      generateTriggers({
        tag: k + 1,
        count: 1,
        serviceDate: endDate,
        streetCode: feedStreets[i % feedStreets.length]!,
      })[0]!,
  );
  const feed = {
    households: [...generated.households, ...triggers.map((t) => t.household)],
    claims: [...generated.claims, ...triggers.map((t) => t.claim)],
  };
  say(
    `[demo] synthetic feed: ${feed.households.length} households, ${feed.claims.length} claim deliveries (seed ${args.seed}, 2 of the households in acute trouble)`,
  );

  const hh = await post(`${ingest.url}/v1/households`, registryToken, feed.households);
  say(`[demo] registry → ingest: ${hh.accepted} households accepted, ${hh.rejected.length} rejected`);
  const kafka = new Kafka({ brokers: infra.kafkaBrokers, clientId: 'demo', logLevel: logLevel.NOTHING });
  const topics = topicNames(env.TOPIC_NAMESPACE);
  // Households first, so claims count for their household rather than a household of one.
  await waitFor(
    'households processed',
    async () => (await consumerLag(kafka, env.CONSUMER_GROUP, [topics.households])) === 0,
    { timeoutMs: 60_000, intervalMs: 250 },
  );

  let accepted = 0;
  let rejected = 0;
  for (let i = 0; i < feed.claims.length; i += 500) {
    const r = await post(`${ingest.url}/v1/claims`, ingestToken, feed.claims.slice(i, i + 500));
    accepted += r.accepted;
    rejected += r.rejected.length;
  }
  say(`[demo] HIS → ingest: ${accepted} claims accepted, ${rejected} rejected`);
  await waitFor('claims processed', async () => (await consumerLag(kafka, env.CONSUMER_GROUP, [topics.claims])) === 0, {
    timeoutMs: 120_000,
    intervalMs: 250,
  });

  const streets = [...new Set(feed.households.map((h) => h.streetCode))].sort();
  // The figures behind the alerts that a caseworker must verify (stale or unconfirmed), once each.
  const warned = new Map<string, { message: string; alerts: number }>();
  say('');
  say(`What the street queues received (BullMQ, prefix "${env.QUEUE_PREFIX}"):`);
  for (const street of streets) {
    // BullMQ does not close a connection it was given, so the queue gets its own and we close both.
    const connection = redis.duplicate();
    const queue = new Queue(streetQueueName(street), { connection, prefix: env.QUEUE_PREFIX });
    const jobs = (await queue.getJobs(['prioritized', 'waiting', 'active', 'completed', 'failed'])).filter(
      (j) => (j.data as AlertJobData).householdId !== undefined,
    );
    const mine = jobs.filter((j) =>
      feed.households.some((h) => h.householdId === (j.data as AlertJobData).householdId),
    );
    say(`\n  ${streetQueueName(street)}: ${mine.length} alert(s)`);
    for (const job of mine.sort((a, b) => a.priority - b.priority)) {
      const d = job.data as AlertJobData;
      const codes = d.findings.map((f) => f.code).join(', ') || '-';
      for (const w of d.warnings ?? []) {
        const key = `${w.code} ${w.parameter?.name ?? ''} ${w.parameter?.from ?? ''}`;
        warned.set(key, { message: w.message, alerts: (warned.get(key)?.alerts ?? 0) + 1 });
      }
      say(
        `    ${d.level.padEnd(8)} ${d.householdId}  burden12m ${d.burden12m.padStart(10)}  income ${(d.income ?? 'unknown').padStart(10)}  ratio ${d.burdenRatio ?? '-'}  ${codes}`,
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

  // The caseworker's side: the alerter has turned the highest-priority job into an alert record.
  const top = await topAlert(alerter.url, streets);
  if (top) {
    say(
      `The caseworker loop on alert ${top.alertId} (street ${top.streetCode}, level ${top.level}), through the alerter API:`,
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
    for (const step of steps) await call(`${alerter.url}/v1/alerts/${top.alertId}/transitions`, adminToken, step);
    const { history } = (await call(`${alerter.url}/v1/alerts/${top.alertId}/history`, adminToken)) as {
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
  await admin.disconnect();
  await infra.stop();
}
