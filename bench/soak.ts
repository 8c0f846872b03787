// npm run bench -- --soak 30m [--soak-rate 2000] [--fault-every 180] [--seed N]: warnline on the 3-broker Kafka
// cluster and the Redis Cluster of infra/cluster.sh for a long run, claims offered at a fixed rate, three
// accumulator instances over 12 partitions, and a fault every few minutes, chosen at random with the seed:
// kill -9 of a partition leader broker (restarted 10 s later), a clean rolling restart of the three brokers,
// kill -9 of a Redis primary (its replica takes over; the node rejoins), kill -9 of an accumulator instance (a
// new one starts). Most persons' claims go straight to claims.v1 through the services' producer (as ingest
// writes them); about one person in eight goes through ingest's HTTP API (an ingest process on the same
// cluster, keeping identities in the Redis Cluster), resent on 503 as an HIS adapter does. The feed is
// generated as it is sent (a 30-minute run is millions of claims). Reports throughput, the latency of each
// acknowledged send and HTTP request, lag, the RSS of every process over time, and the totals check at the end.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { shanghaiDate, type ClaimEvent } from '@warnline/contracts';
import {
  freePort,
  killKafkaNode,
  killRedisNode,
  redisClusterNodes,
  restartKafkaNodeCleanly,
  startCluster,
  startKafkaNode,
  startRedisNode,
  startService,
  waitForFailover,
  waitForReplicatedCluster,
  type ClusterInfra,
  type RunningService,
} from '@warnline/infra';
import { createRedisClient, ensureTopics, SessionProducer, topicNames, topicSpecs } from '@warnline/runtime';
import { uniqueId, uniqueNamespace } from '@warnline/test';
import { Random, type RawClaimOut } from '@warnline/synthetic';
import { NetTotals, sendThroughFaults, waitForTotals } from './faults.ts';
import {
  cachedPseudonymiser,
  claimEvent,
  claimsUpTo,
  feedOptions,
  generateHouseholds,
  householdEvent,
} from './feed.ts';
import { createPoster } from './http-client.ts';
import { createLagProbe } from './lag.ts';
import { summarise } from './stats.ts';

const PARTITIONS = 12;
const INSTANCES = 3;
const CHUNK = 200;
const PSEUDONYM_KEY = 'soak-key-0123456789abcdef0123456789abcdef';
const HOSPITAL_TOKEN = 'soak-hospital-token-0123456789';
/** Households sent ahead of the claims of the household being sent. */
const HOUSEHOLDS_AHEAD = 2_000;

export interface SoakOptions {
  seconds: number;
  rate: number;
  faultEverySeconds: number;
  seed: number;
}

const FAULTS = ['broker-kill', 'rolling-restart', 'redis-primary-kill', 'accumulator-kill'] as const;
type Fault = (typeof FAULTS)[number];

/** "30m", "90s", "1h" → seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)([smh]?)$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text} (e.g. 30m, 90s)`);
  return Number(m[1]) * ({ s: 1, m: 60, h: 3600, '': 1 } as const)[m[2] as 's' | 'm' | 'h' | ''];
}

/** A seeded generator (packages/synthetic), so a soak's faults can be replayed. */
function seeded(seed: number): () => number {
  const generator = new Random(seed);
  return () => generator.next();
}

/** About one person in eight sends through ingest's HTTP API; all of a person's claims take one path, in order. */
function throughHttp(pseudonym: string): boolean {
  return parseInt(pseudonym.at(-1)!, 16) < 2;
}

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

function clusterPids(cluster: ClusterInfra): Record<string, number> {
  const pids: Record<string, number> = {};
  const read = (file: string) => {
    try {
      return Number(readFileSync(file, 'utf8').trim());
    } catch {
      return 0;
    }
  };
  for (const n of [1, 2, 3]) pids[`kafka-${n}`] = read(join(cluster.runDir, `kafka-${n}`, 'broker.pid'));
  for (const address of cluster.redisNodes) {
    const port = address.split(':')[1]!;
    pids[`redis-${port}`] = read(join(cluster.runDir, `redis-${port}`, 'redis.pid'));
  }
  return pids;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export async function runSoak(o: SoakOptions, say: (line: string) => void): Promise<string> {
  const cluster = await startCluster();
  await waitForReplicatedCluster(cluster);
  const namespace = uniqueNamespace();
  const topics = topicNames(namespace);
  const redisPrefix = uniqueId('wlsoak');
  const group = uniqueId('gsoak');
  const kafka = new Kafka({ clientId: 'soak', brokers: cluster.kafkaBrokers, logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, topicSpecs(topics, PARTITIONS));
  const redis = createRedisClient({ REDIS_CLUSTER_NODES: cluster.redisNodes }, { maxRetriesPerRequest: null });
  const total = o.rate * o.seconds;
  const options = feedOptions(o.seed, total, shanghaiDate(new Date()));
  const households = generateHouseholds(options);
  const pseudonym = cachedPseudonymiser(PSEUDONYM_KEY);
  const receivedAt = new Date().toISOString();
  say(`[soak] up to ${households.length} households and ${total} claims, generated as they are sent`);
  // Households go out a little ahead of their members' claims (the generator's claims come household by
  // household), as a registry's records arrive over time: a run cut short by a slow machine does not leave
  // the accumulators evaluating households whose claims were never sent.
  const householdOf = new Map(households.flatMap((h, i) => h.members.map((m) => [m.personId, i] as const)));
  await sendThroughFaults(
    kafka,
    topics.households,
    households.slice(0, HOUSEHOLDS_AHEAD).map((h) => householdEvent(h, pseudonym, receivedAt)),
    { chunk: 1000 },
  );

  const env = {
    ...cluster.env,
    TOPIC_NAMESPACE: namespace,
    TOPIC_PARTITIONS: String(PARTITIONS),
    CONSUMER_GROUP: group,
    REDIS_PREFIX: redisPrefix,
    QUEUE_PREFIX: `{${uniqueId('wlsoakq')}}`,
    ROLLOVER_ENABLED: 'false',
    KAFKA_SESSION_TIMEOUT_MS: '10000',
    LOG_LEVEL: 'warn',
  };
  const startAccumulator = async () => {
    const port = await freePort();
    return startService('accumulator', { ...env, ACCUMULATOR_PORT: String(port) }, port);
  };
  const ingestPort = await freePort();
  const accumulators: RunningService[] = [];
  let ingest: RunningService | undefined;
  try {
    ingest = await startService(
      'ingest',
      {
        ...env,
        INGEST_PORT: String(ingestPort),
        PSEUDONYM_KEY,
        INGEST_TOKENS: JSON.stringify([
          { name: 'soak-hospitals', token: HOSPITAL_TOKEN, role: 'hospital', institutions: ['*'] },
        ]),
        INGEST_KAFKA_INPUT: 'false',
        IDENTITY_KEYS: `soak:${createHash('sha256').update(redisPrefix).digest('base64')}`,
        IDENTITY_KEY_ID: 'soak',
        IDENTITY_REDIS_CLUSTER_NODES: cluster.env.REDIS_CLUSTER_NODES,
        IDENTITY_PREFIX: `${redisPrefix}:ids`,
      },
      ingestPort,
    );
    for (let i = 0; i < INSTANCES; i++) accumulators.push(await startAccumulator());
    return await soakWith(ingest);
  } finally {
    for (const a of accumulators) await a.stop();
    await ingest?.stop();
    redis.disconnect();
  }

  async function soakWith(ingestService: RunningService): Promise<string> {
    const random = seeded(o.seed);
    const faults: { at: number; fault: Fault; seconds: number }[] = [];
    const samples: {
      at: number;
      sent: number;
      committed: number;
      lag: number;
      sendP99: number;
      httpP99: number;
      rss: Record<string, number>;
    }[] = [];
    const probe = await createLagProbe(kafka);
    const started = Date.now();
    const elapsed = () => Math.round((Date.now() - started) / 1000);
    const oracle = new NetTotals();
    const producer = new SessionProducer(kafka);
    const poster = createPoster(`http://127.0.0.1:${ingestPort}`, HOSPITAL_TOKEN, 1);
    /** Milliseconds from a chunk's first attempt to its acknowledgement (202 for HTTP), resends included. */
    const sendMs: number[] = [];
    const httpMs: number[] = [];
    let windowSend = 0;
    let windowHttp = 0;
    let sent = 0;
    let sentHttp = 0;
    let resends = 0;
    let http503 = 0;
    let nextFault = o.faultEverySeconds;
    // The fault under way, if any (one at a time; the feed goes on meanwhile).
    const pending: { fault: Promise<void> | null } = { fault: null };

    const inject = async (fault: Fault) => {
      const t0 = Date.now();
      if (fault === 'broker-kill') {
        const admin = kafka.admin();
        await admin.connect();
        const meta = await admin.fetchTopicMetadata({ topics: [topics.claims] });
        await admin.disconnect();
        const partitions = meta.topics[0]!.partitions;
        const leader = partitions[Math.floor(random() * partitions.length)]!.leader;
        await killKafkaNode(cluster, leader);
        await sleep(10_000);
        await startKafkaNode(leader);
      } else if (fault === 'rolling-restart') {
        for (const n of [1, 2, 3]) await restartKafkaNodeCleanly(cluster, n);
      } else if (fault === 'redis-primary-kill') {
        await waitForReplicatedCluster(cluster);
        const primaries = (await redisClusterNodes(cluster)).filter((n) => n.role === 'master' && !n.failed);
        const victim = primaries[Math.floor(random() * primaries.length)]!;
        await killRedisNode(cluster, victim.port);
        await waitForFailover(cluster, victim.port);
        await startRedisNode(victim.port);
      } else {
        const i = Math.floor(random() * accumulators.length);
        await accumulators[i]!.kill();
        accumulators[i] = await startAccumulator();
      }
      faults.push({ at: Math.round((t0 - started) / 1000), fault, seconds: Math.round((Date.now() - t0) / 1000) });
      say(`[soak] ${elapsed()} s: ${fault} done in ${Math.round((Date.now() - t0) / 1000)} s`);
    };

    const sample = async () => {
      const pids: Record<string, number> = { ...clusterPids(cluster), ingest: ingestService.process.pid ?? 0 };
      accumulators.forEach((a, i) => (pids[`accumulator-${i + 1}`] = a.process.pid ?? 0));
      pids['soak (load generator)'] = process.pid;
      const rss = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, rssMiB(pid)]));
      const positions = await Promise.all([
        probe.committed(group, [topics.claims]).catch(() => NaN),
        probe.lag(group, [topics.claims]).catch(() => NaN),
      ]);
      const sendP99 = summarise(sendMs.slice(windowSend)).p99;
      const httpP99 = summarise(httpMs.slice(windowHttp)).p99;
      windowSend = sendMs.length;
      windowHttp = httpMs.length;
      samples.push({ at: elapsed(), sent, committed: positions[0], lag: positions[1], sendP99, httpP99, rss });
      say(
        `[soak] ${elapsed()} s: sent ${sent} (${sentHttp} over HTTP), committed ${positions[0]}, lag ${positions[1]}, ` +
          `p99 send ${sendP99} ms, p99 HTTP ${httpP99} ms, RSS MiB ${JSON.stringify(rss)}`,
      );
    };
    const sampler = setInterval(() => void sample(), 30_000);

    /** Records sent through the services' producer, sent again until the cluster takes them. */
    const sendRecords = async (topic: string, messages: { key: string; value: string }[]) => {
      for (;;) {
        try {
          await producer.send({ topic, acks: -1, messages });
          return;
        } catch {
          resends++;
          await sleep(500);
        }
      }
    };
    /** One chunk straight to claims.v1. */
    const sendDirect = async (events: ClaimEvent[]) => {
      const t0 = performance.now();
      await sendRecords(
        topics.claims,
        events.map((e) => ({ key: e.personId, value: JSON.stringify(e) })),
      );
      sendMs.push(Math.round(performance.now() - t0));
    };
    /** One POST /v1/claims, sent again on 503 (or a lost connection) as an HIS adapter does. */
    const sendHttp = async (raw: RawClaimOut[]) => {
      const t0 = performance.now();
      const body = JSON.stringify(raw);
      for (;;) {
        const answer = await poster.post('/v1/claims', body).catch(() => null);
        if (answer?.status === 202) {
          const { rejected } = JSON.parse(answer.body) as { rejected: unknown[] };
          if (rejected.length > 0) throw new Error(`ingest rejected ${JSON.stringify(rejected[0]).slice(0, 300)}`);
          break;
        }
        if (answer !== null && answer.status !== 503)
          throw new Error(`ingest answered ${answer.status}: ${answer.body.slice(0, 300)}`);
        http503++;
        await sleep(500);
      }
      httpMs.push(Math.round(performance.now() - t0));
    };
    const between = async (offered: number) => {
      if (!pending.fault && elapsed() >= nextFault) {
        nextFault += o.faultEverySeconds;
        const fault = FAULTS[Math.floor(random() * FAULTS.length)]!;
        // A fault whose recovery fails is reported, not fatal: the totals check still says what it cost.
        pending.fault = inject(fault)
          .catch((err: unknown) => {
            faults.push({ at: elapsed(), fault, seconds: NaN });
            say(`[soak] ${fault} did not recover: ${(err as Error).message}`);
          })
          .finally(() => (pending.fault = null));
      }
      // Offered load: behind when a send is slow (a fault), never ahead.
      await sleep(started + (offered / o.rate) * 1000 - Date.now());
    };

    // The two paths run side by side, each with one chunk in flight (a person's claims keep their order on
    // theirs), while the next chunks are generated.
    let direct: ClaimEvent[] = [];
    let overHttp: RawClaimOut[] = [];
    let directInFlight: Promise<void> = Promise.resolve();
    let httpInFlight: Promise<void> = Promise.resolve();
    let offered = 0;
    const flushDirect = async () => {
      const chunk = direct;
      direct = [];
      await directInFlight;
      directInFlight = sendDirect(chunk).then(() => void (sent += chunk.length));
    };
    const flushHttp = async () => {
      const chunk = overHttp;
      overHttp = [];
      await httpInFlight;
      httpInFlight = sendHttp(chunk).then(() => {
        sent += chunk.length;
        sentHttp += chunk.length;
      });
    };
    // The run lasts its duration: on a machine too slow for the offered rate the feed ends early, at a
    // person boundary (so no reversal is cut from its original), and the report says what was taken.
    let lastPerson: string | undefined;
    let householdsSent = Math.min(HOUSEHOLDS_AHEAD, households.length);
    try {
      for (const claim of claimsUpTo(options, households, total)) {
        if (claim.personId !== lastPerson && Date.now() - started >= o.seconds * 1000) break;
        lastPerson = claim.personId;
        if ((householdOf.get(claim.personId) ?? 0) + HOUSEHOLDS_AHEAD / 2 >= householdsSent) {
          const next = households.slice(householdsSent, householdsSent + HOUSEHOLDS_AHEAD / 2);
          await sendRecords(
            topics.households,
            next.map((h) => ({ key: h.householdId, value: JSON.stringify(householdEvent(h, pseudonym, receivedAt)) })),
          );
          householdsSent += next.length;
        }
        const event = claimEvent(claim, pseudonym(claim.personId), receivedAt);
        if (throughHttp(event.personId)) overHttp.push(claim);
        else direct.push(event);
        oracle.add(event);
        offered++;
        if (direct.length < CHUNK && overHttp.length < CHUNK) continue;
        await (direct.length >= CHUNK ? flushDirect() : flushHttp());
        await between(offered);
      }
      if (direct.length > 0) await flushDirect();
      if (overHttp.length > 0) await flushHttp();
      await Promise.all([directInFlight, httpInFlight]);
    } finally {
      await producer.disconnect().catch(() => undefined);
      poster.close();
    }
    const sendSeconds = (Date.now() - started) / 1000;
    await pending.fault;
    const check = await waitForTotals(redis, oracle, redisPrefix, 900_000);
    const drainedSeconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    await sample();
    await probe.close();

    const send = summarise(sendMs);
    const http = summarise(httpMs);
    const names = Object.keys(samples[0]?.rss ?? {});
    const lines = [
      `## Soak: ${o.seconds} s offered at ${o.rate} claims/s, fault every ${o.faultEverySeconds} s, seed ${o.seed}`,
      '',
      `claims sent ${sent} (${sentHttp} through ingest's HTTP API) in ${sendSeconds.toFixed(0)} s ` +
        `(${o.rate}/s offered, ${(sent / sendSeconds).toFixed(0)}/s taken); all applied after ${drainedSeconds.toFixed(0)} s ` +
        `(${(sent / drainedSeconds).toFixed(0)} claims/s end to end)`,
      `totals: ${check.match ? 'MATCH' : 'MISMATCH'} — ${check.persons} persons, ${check.mismatches} mismatching, ` +
        `burden ${check.foundBurdenFen} of ${check.expectedBurdenFen} fen`,
      `acknowledged chunk of ${CHUNK} straight to Kafka: p50 ${send.p50} ms, p99 ${send.p99} ms, max ${send.max} ms ` +
        `(${send.count} chunks, ${resends} sent again after a failed send); HTTP POST of ${CHUNK} to 202: ` +
        `p50 ${http.p50} ms, p99 ${http.p99} ms, max ${http.max} ms (${http.count} requests, ${http503} answered 503 ` +
        `or lost and sent again)`,
      '',
      '| at s | fault | took s |',
      '|---|---|---|',
      ...faults.map((f) => `| ${f.at} | ${f.fault} | ${f.seconds} |`),
      '',
      `| at s | sent | committed | lag | p99 send ms | p99 HTTP ms | ${names.map((n) => `${n} MiB`).join(' | ')} |`,
      `|---|---|---|---|---|---|${names.map(() => '---').join('|')}|`,
      ...samples.map(
        (s) =>
          `| ${s.at} | ${s.sent} | ${s.committed} | ${s.lag} | ${s.sendP99} | ${s.httpP99} | ` +
          `${names.map((n) => s.rss[n] ?? NaN).join(' | ')} |`,
      ),
    ];
    return lines.join('\n');
  }
}
