// npm run bench -- --soak 30m [--soak-rate 2000] [--fault-every 180] [--seed N]: warnline on the 3-broker Kafka
// cluster and the Redis Cluster of infra/cluster.sh for a long run, claims offered at a fixed rate straight to
// claims.v1 (acks=all, idempotent, as ingest sends them), three accumulator instances over 12 partitions, and a
// fault every few minutes, chosen at random with the seed: kill -9 of a partition leader broker (restarted
// 10 s later), a clean rolling restart of the three brokers, kill -9 of a Redis primary (its replica takes
// over; the node rejoins), kill -9 of an accumulator instance (a new one starts). Reports throughput, lag,
// the RSS of every process over time, and the totals check at the end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { shanghaiDate } from '@warnline/contracts';
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
import { createRedisClient, ensureTopics, topicNames, topicSpecs } from '@warnline/runtime';
import { uniqueId, uniqueNamespace } from '@warnline/test';
import { NetTotals, segmentedFeed, sendThroughFaults, waitForTotals } from './faults.ts';
import { createLagProbe } from './lag.ts';
import { Random } from '@warnline/synthetic';

const PARTITIONS = 12;
const INSTANCES = 3;
const CHUNK = 200;

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
  say(`[soak] generating ${total} claims`);
  const feed = segmentedFeed({
    seed: o.seed,
    claims: total,
    segments: 1,
    endDate: shanghaiDate(new Date()),
    pseudonymKey: 'soak-key-0123456789abcdef0123456789abcdef',
  });
  const claims = feed.segments[0]!;
  await sendThroughFaults(kafka, topics.households, feed.households, { chunk: 1000 });

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
  const accumulators: RunningService[] = [];
  try {
    for (let i = 0; i < INSTANCES; i++) accumulators.push(await startAccumulator());
    return await soakWith();
  } finally {
    for (const a of accumulators) await a.stop();
    redis.disconnect();
  }

  async function soakWith(): Promise<string> {
    const random = seeded(o.seed);
    const faults: { at: number; fault: Fault; seconds: number }[] = [];
    const samples: { at: number; sent: number; committed: number; lag: number; rss: Record<string, number> }[] = [];
    const probe = await createLagProbe(kafka);
    const started = Date.now();
    const elapsed = () => Math.round((Date.now() - started) / 1000);
    const oracle = new NetTotals();
    let sent = 0;
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
        await new Promise((r) => setTimeout(r, 10_000));
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
      const pids: Record<string, number> = { ...clusterPids(cluster) };
      accumulators.forEach((a, i) => (pids[`accumulator-${i + 1}`] = a.process.pid ?? 0));
      const rss = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, rssMiB(pid)]));
      const positions = await Promise.all([
        probe.committed(group, [topics.claims]).catch(() => NaN),
        probe.lag(group, [topics.claims]).catch(() => NaN),
      ]);
      samples.push({ at: elapsed(), sent, committed: positions[0], lag: positions[1], rss });
      say(
        `[soak] ${elapsed()} s: sent ${sent}, committed ${positions[0]}, lag ${positions[1]}, RSS MiB ${JSON.stringify(rss)}`,
      );
    };
    const sampler = setInterval(() => void sample(), 30_000);

    // Offered load: CHUNK claims every CHUNK / rate seconds, behind when a send is slow (a fault), never ahead.
    await sendThroughFaults(kafka, topics.claims, claims, {
      chunk: CHUNK,
      onSent: (part) => {
        for (const c of part) oracle.add(c);
        sent += part.length;
      },
      between: async () => {
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
        const due = started + (sent / o.rate) * 1000;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      },
    });
    const sendSeconds = (Date.now() - started) / 1000;
    await pending.fault;
    const check = await waitForTotals(redis, oracle, redisPrefix, 900_000);
    const drainedSeconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    await sample();
    await probe.close();

    const names = Object.keys(samples[0]?.rss ?? {});
    const lines = [
      `## Soak: ${o.seconds} s offered at ${o.rate} claims/s, fault every ${o.faultEverySeconds} s, seed ${o.seed}`,
      '',
      `claims sent ${sent} in ${sendSeconds.toFixed(0)} s (${(sent / sendSeconds).toFixed(0)}/s offered and taken); ` +
        `all applied after ${drainedSeconds.toFixed(0)} s (${(sent / drainedSeconds).toFixed(0)} claims/s end to end)`,
      `totals: ${check.match ? 'MATCH' : 'MISMATCH'} — ${check.persons} persons, ${check.mismatches} mismatching, ` +
        `burden ${check.foundBurdenFen} of ${check.expectedBurdenFen} fen`,
      '',
      '| at s | fault | took s |',
      '|---|---|---|',
      ...faults.map((f) => `| ${f.at} | ${f.fault} | ${f.seconds} |`),
      '',
      `| at s | sent | committed | lag | ${names.map((n) => `${n} MiB`).join(' | ')} |`,
      `|---|---|---|---|${names.map(() => '---').join('|')}|`,
      ...samples.map(
        (s) => `| ${s.at} | ${s.sent} | ${s.committed} | ${s.lag} | ${names.map((n) => s.rss[n] ?? NaN).join(' | ')} |`,
      ),
    ];
    return lines.join('\n');
  }
}
