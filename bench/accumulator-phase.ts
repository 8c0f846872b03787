// Accumulator throughput: claims.v1 pre-filled with pseudonymised ClaimEvents (kafkajs, large batches),
// the accumulator started as a process (one or more instances, one consumer group), timed to the end of
// the topic; then the naive path (bench/naive/consumer.ts: the same job, a message at a time, each claim
// applied and its household evaluated) through the same topics with its own group.
import type { Redis } from 'ioredis';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { join } from 'node:path';
import {
  freePort,
  REPO_ROOT,
  runScript,
  startScript,
  startService,
  type Infra,
  type RunningService,
} from '@warnline/infra';
import { ensureTopics, topicSpecs } from '@warnline/runtime';
import { NetTotals } from '@warnline/synthetic';
import { startCpuMeter, type CpuShare } from './cpu.ts';
import { measureDrain, type DrainResult } from './drain.ts';
import {
  cachedPseudonymiser,
  claimEvent,
  claimsUpTo,
  deliveryOrder,
  feedOptions,
  generateHouseholds,
  householdEvent,
  type DeliveryOrder,
} from './feed.ts';
import type { LagProbe } from './lag.ts';
import { progress } from './progress.ts';
import { serviceEnv, type PhaseNames, type Secrets } from './stack.ts';

export interface PrefillResult {
  claims: number;
  households: number;
  persons: number;
  seconds: number;
  oracle: NetTotals;
  householdIds: string[];
  /** Registry household → its members' pseudonyms, as pre-filled on households.v1. */
  householdMembers: Map<string, string[]>;
}

/** Messages per send: ~600 bytes each, so ~500 KB per partition's record batch at 6 partitions (< 1 MB). */
const SEND_BATCH = 5_000;
const SENDS_IN_FLIGHT = 4;

export async function prefill(
  kafka: Kafka,
  names: PhaseNames,
  secrets: Secrets,
  o: { claims: number; seed: number; endDate: string; partitions: number; order: DeliveryOrder },
): Promise<PrefillResult> {
  await ensureTopics(kafka, topicSpecs(names.topics, o.partitions));
  const options = feedOptions(o.seed, o.claims, o.endDate);
  const rawHouseholds = generateHouseholds(options);
  const pseudonym = cachedPseudonymiser(secrets.pseudonymKey);
  const receivedAt = new Date().toISOString();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const started = performance.now();
  try {
    const hh = rawHouseholds.map((h) => householdEvent(h, pseudonym, receivedAt));
    for (let i = 0; i < hh.length; i += SEND_BATCH) {
      await producer.send({
        topic: names.topics.households,
        acks: 1,
        messages: hh.slice(i, i + SEND_BATCH).map((h) => ({ key: h.householdId, value: JSON.stringify(h) })),
      });
    }
    const oracle = new NetTotals();
    const bar = progress('generate + pre-fill', o.claims);
    let batch: Message[] = [];
    const inFlight = new Set<Promise<unknown>>();
    const flush = async () => {
      const messages = batch;
      batch = [];
      const p = producer.send({ topic: names.topics.claims, acks: 1, messages }).then(() => {
        inFlight.delete(p);
        bar.tick(messages.length);
      });
      inFlight.add(p);
      if (inFlight.size >= SENDS_IN_FLIGHT) await Promise.race(inFlight);
    };
    for (const raw of deliveryOrder(claimsUpTo(options, rawHouseholds, o.claims), o.order, o.seed)) {
      const event = claimEvent(raw, pseudonym(raw.personId), receivedAt);
      oracle.add(event);
      batch.push({ key: event.personId, value: JSON.stringify(event) });
      if (batch.length >= SEND_BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    await Promise.all(inFlight);
    bar.setTotal(oracle.deliveries);
    bar.done();
    return {
      claims: oracle.deliveries,
      households: hh.length,
      persons: oracle.personCount,
      seconds: (performance.now() - started) / 1000,
      oracle,
      householdIds: hh.map((h) => h.householdId),
      householdMembers: new Map(hh.map((h) => [h.householdId, h.members.map((m) => m.personId)])),
    };
  } finally {
    await producer.disconnect();
  }
}

export interface AccumulatorRun extends DrainResult {
  instances: number;
  partitions: number;
  cpu: CpuShare;
  /** Household evaluations of all instances (their /metrics): how far coalescing went. */
  evaluations: number;
  /** With evaluation deferred (a go-live load): the `go-live release` that followed the drain. */
  goLive?: GoLiveRelease;
}

/** `go-live release` after a deferred drain: every touched household evaluated once, alerts raised. */
export interface GoLiveRelease {
  /** From starting the command to its report (its start-up of about a second included). */
  seconds: number;
  evaluated: number;
  published: number;
  alerts: { action: number; warning: number; watch: number };
}

const GO_LIVE_CLI = join(REPO_ROOT, 'services', 'accumulator', 'src', 'cli', 'go-live.ts');

/** accumulator_evaluations_total of a running instance. */
async function evaluationsOf(service: RunningService): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return Number(/^accumulator_evaluations_total (\S+)$/m.exec(text)?.[1] ?? NaN);
}

export async function runAccumulator(
  infra: Infra,
  redis: Redis,
  names: PhaseNames,
  secrets: Secrets,
  probe: LagProbe,
  o: {
    total: number;
    partitions: number;
    instances: number;
    asOf: string;
    env: Record<string, string>;
    nodeOptions?: string;
    /** Evaluation deferred as for a go-live load (`go-live defer` first), then `go-live release` timed. */
    goLive?: boolean;
  },
): Promise<AccumulatorRun> {
  const services: RunningService[] = [];
  try {
    const env = {
      ...serviceEnv(infra, names, secrets, o.partitions),
      AS_OF: o.asOf,
      // The monthly rollover job is not part of the claim path; keep it from running during the measurement.
      ROLLOVER_ENABLED: 'false',
      ...o.env,
      ...(o.nodeOptions ? { NODE_OPTIONS: o.nodeOptions } : {}),
    };
    if (o.goLive) {
      const deferred = await runScript(GO_LIVE_CLI, ['defer'], env);
      if (deferred.code !== 0) throw new Error(`go-live defer failed: ${deferred.stderr.slice(-2000)}`);
    }
    // Measuring starts before the first instance does: an instance consumes as soon as it has joined, so
    // whatever it did while the others were starting would otherwise be free.
    const stopMeasuring = new AbortController();
    const draining = measureDrain({
      label: `accumulator ×${o.instances}`,
      probe,
      group: names.group,
      topic: names.topics.claims,
      allTopics: [names.topics.claims, names.topics.households],
      total: o.total,
      signal: stopMeasuring.signal,
    });
    let meter: () => Promise<CpuShare>;
    try {
      // All at once, so they join the group together instead of each newcomer rebalancing the others.
      const started = await Promise.allSettled(
        Array.from({ length: o.instances }, async () => {
          const port = await freePort();
          return startService('accumulator', { ...env, ACCUMULATOR_PORT: String(port) }, port);
        }),
      );
      for (const s of started) if (s.status === 'fulfilled') services.push(s.value);
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
      meter = await startCpuMeter(
        redis,
        Object.fromEntries(
          services.map((s, i) => [`accumulator${services.length > 1 ? i + 1 : ''}`, s.process.pid ?? 0]),
        ),
      );
    } catch (err) {
      stopMeasuring.abort();
      await draining.catch(() => undefined);
      throw err;
    }
    const result = await draining;
    const cpu = await meter();
    let evaluations = 0;
    for (const s of services) evaluations += await evaluationsOf(s);
    const goLive = o.goLive ? await release(env) : undefined;
    return {
      ...result,
      instances: o.instances,
      partitions: o.partitions,
      cpu,
      evaluations,
      ...(goLive ? { goLive } : {}),
    };
  } finally {
    for (const s of services) {
      const code = await s.stop();
      if (code !== 0 && code !== null)
        process.stderr.write(`[bench] accumulator exited with ${code}:\n${s.output().slice(-2000)}\n`);
    }
  }
}

/** `go-live release` once the group is at the end of the topic (nothing to wait for). */
async function release(env: Record<string, string>): Promise<GoLiveRelease> {
  const started = performance.now();
  const run = await runScript(GO_LIVE_CLI, ['release', '--wait-ms', '0'], env);
  if (run.code !== 0) throw new Error(`go-live release failed: ${run.stderr.slice(-2000)}`);
  const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as Omit<GoLiveRelease, 'seconds'>;
  return {
    seconds: (performance.now() - started) / 1000,
    evaluated: report.evaluated,
    published: report.published,
    alerts: report.alerts,
  };
}

export async function runNaive(
  infra: Infra,
  redis: Redis,
  names: PhaseNames,
  probe: LagProbe,
  o: { total: number; limitMs: number; asOf: string; nodeOptions?: string },
): Promise<DrainResult & { group: string; prefix: string; cpu: CpuShare }> {
  const group = `${names.group}-naive`;
  const prefix = `${names.redisPrefix}n`;
  const proc = await startScript(
    'bench/naive/consumer.ts',
    {
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      REDIS_URL: infra.redisUrl,
      NAIVE_TOPIC: names.topics.claims,
      NAIVE_HOUSEHOLDS_TOPIC: names.topics.households,
      NAIVE_AS_OF: o.asOf,
      NAIVE_GROUP: group,
      NAIVE_PREFIX: prefix,
      ...(o.nodeOptions ? { NODE_OPTIONS: o.nodeOptions } : {}),
    },
    'naive consumer running',
  );
  try {
    const meter = await startCpuMeter(redis, { naive: proc.process.pid ?? 0 });
    const result = await measureDrain({
      label: 'naive (per message)',
      probe,
      group,
      topic: names.topics.claims,
      allTopics: [names.topics.claims, names.topics.households],
      total: o.total,
      limitMs: o.limitMs,
    });
    return { ...result, group, prefix, cpu: await meter() };
  } finally {
    await proc.stop();
  }
}

export function benchKafka(infra: Infra, level: logLevel = logLevel.ERROR): Kafka {
  return new Kafka({ clientId: 'warnline-bench', brokers: infra.kafkaBrokers, logLevel: level });
}
