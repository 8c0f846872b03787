// npm run bench [-- --smoke] [-- --json FILE] [-- --soak 30m]: throughput, latency and memory of warnline against the real
// broker and Redis (found or started by infra/src/environment.ts, as the tests and the demo do), with the
// naive baseline in the same run. Prints a table on stdout, progress on stderr, and writes JSON.
// npm run bench -- cleanup RUN_ID: deletes what a run kept with --keep (topics, groups, Redis keys).
//
// Phases, one after another (two cores: nothing measured runs beside anything else measured):
//   1. accumulator: pre-fill claims.v1 (kafkajs, big batches), start the accumulator, time it to the end of
//      the topic; the totals check and Redis memory; then the naive path through the same topic;
//   2. ingest: POST /v1/claims with batches of 500 and a fixed number of requests in flight;
//   3. latency: ingest + accumulator at a fixed open-loop load, trigger claims whose alerts are timed;
//   4. backfill (only with --only backfill): a city sample from files through `warnline backfill`, Kafka and
//      the accumulator with deferred evaluation to the go-live report (bench/backfill-phase.ts).
//   4. dashboard (only when named in --only): alerts seeded through the alerter's scripts, then
//      GET /v1/dashboard timed for a district and for the city.
// Each phase has its own topics, groups and key prefixes, and deletes them when done (--keep keeps them).
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { logLevel } from 'kafkajs';
import { shanghaiDate } from '@warnline/contracts';
import { provideInfra, REPO_ROOT } from '@warnline/infra';
import { uniqueId } from '@warnline/test';
import { benchKafka, prefill, runAccumulator, runNaive, type PrefillResult } from './accumulator-phase.ts';
import { accumulatorLayout } from './accumulator-layout.ts';
import { runBackfillPhase } from './backfill-phase.ts';
import { runDashboard } from './dashboard-phase.ts';
import { runIngest } from './ingest-phase.ts';
import { createLagProbe } from './lag.ts';
import { runLatency } from './latency-phase.ts';
import { naiveKeys } from './naive/keys.ts';
import { checkTotals, meanKeyBytes, measureMemory, naiveMonths, usedMemory } from './redis-state.ts';
import { writeOracle } from './oracle.ts';
import { table, writeJson, type BenchResult } from './report.ts';
import { cleanupPhase, deleteKeys, phaseNames, secretsFor } from './stack.ts';
import { parseDuration, runSoak } from './soak.ts';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    smoke: { type: 'boolean', default: false },
    json: { type: 'string' },
    claims: { type: 'string' },
    'ingest-claims': { type: 'string' },
    'backfill-claims': { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    batch: { type: 'string', default: '500' },
    rate: { type: 'string' },
    'latency-seconds': { type: 'string' },
    triggers: { type: 'string' },
    'naive-seconds': { type: 'string' },
    partitions: { type: 'string', default: '6' },
    instances: { type: 'string' },
    seed: { type: 'string', default: '20261122' },
    only: { type: 'string', default: 'accumulator,ingest,latency' },
    order: { type: 'string', default: 'interleaved' },
    'acc-env': { type: 'string', multiple: true, default: [] },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'without-identities': { type: 'boolean', default: false },
    'end-date': { type: 'string' },
    'skip-naive': { type: 'boolean', default: false },
    'go-live': { type: 'boolean', default: false },
    'oracle-out': { type: 'string' },
    'dashboard-alerts': { type: 'string' },
    soak: { type: 'string' },
    'soak-rate': { type: 'string', default: '2000' },
    'fault-every': { type: 'string', default: '180' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  process.stdout
    .write(`npm run bench [-- options]       throughput, latency and memory against the real broker and Redis
npm run bench -- cleanup RUN_ID  delete what a run kept with --keep

  --smoke                 small numbers (~30 s)          --json FILE         JSON to FILE
  --only PHASES           accumulator,ingest,latency,backfill,dashboard (default accumulator,ingest,latency)
  --claims N              claims of the accumulator phase (default 2,000,000; smoke 20,000)
  --instances N           accumulator instances (default 2)   --partitions N   claims partitions (default 6)
  --order interleaved|by-person   --seed N   --end-date YYYY-MM-DD (as-of date of the accumulator phase)
  --acc-env KEY=VALUE     an accumulator setting (repeatable)  --profile   CPU profiles of the processes
  --skip-naive            no naive baseline                    --naive-seconds N   its time limit (120)
  --go-live               the accumulator phase as a go-live load: evaluation deferred, then go-live release
  --oracle-out FILE       expected totals per person and household  --keep   keep topics and keys
  --ingest-claims N  --concurrency N  --batch N                the ingest phase
  --rate N  --latency-seconds N  --triggers N                  the latency phase
  --backfill-claims N  --dashboard-alerts N  --without-identities
  --soak DURATION [--soak-rate N] [--fault-every S]            the soak on the cluster of infra/cluster.sh
`);
  process.exit(0);
}

// The soak is a run of its own, on the cluster of infra/cluster.sh (bench/soak.ts).
if (args.soak !== undefined) {
  const report = await runSoak(
    {
      seconds: parseDuration(args.soak),
      rate: Number(args['soak-rate']),
      faultEverySeconds: Number(args['fault-every']),
      seed: Number(args.seed),
    },
    (line) => process.stderr.write(`${line}\n`),
  );
  process.stdout.write(`${report}\n`);
  process.exit(0);
}

if (positionals[0] === 'cleanup') {
  const runId = positionals[1];
  if (runId === undefined) throw new Error('usage: npm run bench -- cleanup RUN_ID');
  await cleanupRun(runId);
  process.exit(0);
} else if (positionals.length > 0) {
  throw new Error(`unknown command ${positionals.join(' ')}; the only one is: cleanup RUN_ID`);
}

/** Everything a run kept (--keep): each phase's topics, groups and keys, the naive path's keys too. */
async function cleanupRun(runId: string): Promise<void> {
  const infra = await provideInfra((line) => process.stderr.write(`${line}\n`));
  const kafka = benchKafka(infra);
  const redis = new Redis(infra.redisUrl);
  try {
    for (const phase of ['a', 'i', 'l', 'b', 'd']) {
      const names = phaseNames(runId, phase);
      await cleanupPhase(kafka, redis, names, [`${names.group}-naive`]);
      await deleteKeys(redis, `${names.redisPrefix}n:*`);
    }
    process.stderr.write(`[bench] run ${runId}: topics, groups and keys deleted\n`);
  } finally {
    await redis.quit();
    await infra.stop();
  }
}

const smoke = args.smoke;
const num = (value: string | undefined, full: number, small: number) =>
  value === undefined ? (smoke ? small : full) : Number(value);
const settings = {
  claims: num(args.claims, 2_000_000, 20_000),
  ingestClaims: num(args['ingest-claims'], 200_000, 5_000),
  backfillClaims: num(args['backfill-claims'], 10_000_000, 20_000),
  concurrency: Number(args.concurrency),
  batch: Number(args.batch),
  rate: num(args.rate, 5_000, 1_000),
  latencySeconds: num(args['latency-seconds'], 30, 3),
  triggers: num(args.triggers, 300, 30),
  // The naive path is far slower (an evaluation per claim): it is timed over a fixed span, not to the end.
  naiveSeconds: num(args['naive-seconds'], 120, 30),
  partitions: Number(args.partitions),
  // Two instances on two cores: one accumulator is bound by its single thread (the machine has a core to
  // spare), two use both cores (bench-results of 2026-11-22: 8,300 → 18,100 claims/s). Smoke: one, quicker.
  instances: num(args.instances, 2, 1),
  seed: Number(args.seed),
  skipNaive: args['skip-naive'],
  dashboardAlerts: num(args['dashboard-alerts'], 100_000, 5_000),
  order: args.order === 'by-person' ? ('by-person' as const) : ('interleaved' as const),
  /** Extra accumulator settings (KEY=VALUE), e.g. EVALUATION_DELAY_MS=100. */
  // Default: every partition's batch at once, so the next batches are decoded and applied while a round
  // evaluates the households of the previous ones (the accumulator README, Evaluation scheduling).
  // Two group members per instance: one fetches and applies while the other's round runs.
  accumulatorEnv: {
    PARTITIONS_CONSUMED_CONCURRENTLY: String(Number(args.partitions)),
    KAFKA_CONSUMERS: '2',
    ...Object.fromEntries(args['acc-env'].map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
  },
};
const only = new Set(args.only.split(','));
const say = (line: string) => process.stderr.write(`${line}\n`);
const mode = smoke ? 'smoke' : 'full';
const startedAt = new Date();
const runId = uniqueId('bench');
const jsonPath =
  args.json ??
  join(REPO_ROOT, 'bench-results', `bench-${mode}-${startedAt.toISOString().replaceAll(':', '-').slice(0, 19)}.json`);
const profileDir = join(REPO_ROOT, 'bench-results', `profiles-${runId}`);
const nodeOptions = args.profile ? `--cpu-prof --cpu-prof-dir=${profileDir}` : undefined;

// The as-of date of the accumulator phase's feed and of its evaluations (the accumulator's AS_OF and the
// naive path's): today in Shanghai unless --end-date says otherwise. The ingest and latency phases go
// through ingest, which judges claims by its own clock: their feeds end today.
const endDate = args['end-date'] ?? shanghaiDate(new Date());
if (!/^\d{4}-\d{2}-\d{2}$/.test(endDate)) throw new Error(`--end-date must be YYYY-MM-DD, not ${endDate}`);

const result: BenchResult = {
  mode,
  runId,
  asOf: endDate,
  seed: settings.seed,
  order: settings.order,
  startedAt: startedAt.toISOString(),
  finishedAt: '',
  command: `npm run bench --${process.argv
    .slice(2)
    .map((a) => ` ${a}`)
    .join('')}`,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kafka: '',
    redis: '',
    load1AtStart: loadavg()[0] ?? 0,
  },
  claims: 0,
  totalsMatch: false,
  totals: { persons: 0, mismatches: 0, examples: [] },
  accumulator: {
    order: settings.order,
    env: settings.accumulatorEnv,
    claimsPerSec: NaN,
    wallClaimsPerSec: NaN,
    claims: 0,
    seconds: NaN,
    wallSeconds: NaN,
    partitions: settings.partitions,
    instances: settings.instances,
    completed: false,
  },
  naive: { claimsPerSec: NaN, claims: 0, seconds: NaN, completed: false, totalsMatch: null },
  ratio: NaN,
  ingest: { claimsPerSec: NaN, claims: 0, seconds: NaN, batchSize: settings.batch, concurrency: settings.concurrency },
  latency: {
    p50Ms: NaN,
    p99Ms: NaN,
    maxMs: NaN,
    minMs: NaN,
    offeredPerSec: settings.rate,
    sentPerSec: NaN,
    claims: 0,
    triggers: settings.triggers,
    alertsSeen: 0,
    requestP50Ms: NaN,
    requestP99Ms: NaN,
    maxSendDelayMs: NaN,
    non202: 0,
    trend: [],
  },
  redis: {
    bytesPerHousehold: NaN,
    bytesPerPerson: NaN,
    bytesPerDedupClaim: NaN,
    personsMeasured: 0,
    dedupRecords: 0,
    fieldsPerPerson: NaN,
    usedMemoryDeltaBytes: NaN,
    usedMemoryDeltaPerClaim: NaN,
  },
  prefill: { claims: 0, households: 0, persons: 0, seconds: NaN },
  errors: {},
};

const infra = await provideInfra(say);
const kafka = benchKafka(infra);
const redis = new Redis(infra.redisUrl);
// The probe's own client logs nothing: it retries on purpose after a phase's cleanup deletes topics it knew.
const probe = await createLagProbe(benchKafka(infra, logLevel.NOTHING));
// --without-identities: ingest keeps no identities, to measure what keeping them costs.
const secrets = secretsFor(runId, { identities: !args['without-identities'] });
const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
result.machine.kafka = `Apache Kafka ${infra.brokerVersion} (${infra.kafkaSource})`;
result.machine.redis = `Redis ${redisVersion} (${infra.redisSource})`;
say(`[bench] ${mode} run ${runId}: ${JSON.stringify(settings)}`);

async function phase(name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    result.errors[name] = (err as Error).message.split('\n').slice(0, 3).join(' ');
    say(`[bench] ${name} failed: ${(err as Error).stack ?? String(err)}`);
  }
}

try {
  if (only.has('accumulator')) {
    const names = phaseNames(runId, 'a');
    let filled: PrefillResult | undefined;
    try {
      await phase('accumulator', async () => {
        filled = await prefill(kafka, names, secrets, {
          claims: settings.claims,
          seed: settings.seed,
          endDate,
          partitions: settings.partitions,
          order: settings.order,
        });
        const { claims, households, persons, seconds, oracle, householdIds } = filled;
        result.prefill = { claims, households, persons, seconds };
        result.claims = filled.claims;
        if (args['oracle-out']) {
          writeOracle(args['oracle-out'], filled, { runId, asOf: endDate, seed: settings.seed, order: settings.order });
          say(`[bench] expected totals: ${args['oracle-out']}`);
        }
        say(
          `[bench] pre-filled ${filled.claims} claims (${oracle.claims} distinct), ${filled.households} households, ${filled.persons} persons in ${filled.seconds.toFixed(1)} s`,
        );
        const before = await usedMemory(redis);
        const run = await runAccumulator(infra, redis, names, secrets, probe, {
          total: filled.claims,
          partitions: settings.partitions,
          instances: settings.instances,
          asOf: endDate,
          env: settings.accumulatorEnv,
          goLive: args['go-live'],
          ...(nodeOptions ? { nodeOptions } : {}),
        });
        result.accumulator = {
          order: settings.order,
          env: settings.accumulatorEnv,
          claimsPerSec: run.claimsPerSec,
          wallClaimsPerSec: run.consumed / run.wallSeconds,
          claims: run.consumed,
          seconds: run.sustainedSeconds,
          wallSeconds: run.wallSeconds,
          partitions: run.partitions,
          instances: run.instances,
          completed: run.completed,
          cpu: run.cpu,
          evaluations: run.evaluations,
          ...(run.goLive ? { goLive: run.goLive } : {}),
        };
        const after = await usedMemory(redis);
        result.redis.usedMemoryDeltaBytes = after - before;
        result.redis.usedMemoryDeltaPerClaim = (after - before) / filled.claims;

        const layout = accumulatorLayout(names.redisPrefix);
        const totals = await checkTotals(redis, oracle, layout.personKey, layout.readMonths);
        result.totalsMatch = totals.match;
        result.totals = { persons: totals.persons, mismatches: totals.mismatches, examples: totals.examples };
        say(
          `[bench] totals: ${totals.match ? 'equal to the fen' : 'DIFFER'} for ${totals.persons} persons (${totals.mismatches} mismatching) ${totals.examples.join('; ')}`,
        );
        const memory = await measureMemory(redis, [...oracle.persons()], layout);
        result.redis = {
          ...result.redis,
          ...memory,
          bytesPerHousehold: await meanKeyBytes(redis, householdIds.map(layout.householdKey)),
        };
      });
      if (!settings.skipNaive)
        await phase('naive', async () => {
          if (filled === undefined) throw new Error('no pre-filled topic');
          const naive = await runNaive(infra, redis, names, probe, {
            total: filled.claims,
            limitMs: settings.naiveSeconds * 1000,
            asOf: endDate,
            ...(nodeOptions ? { nodeOptions } : {}),
          });
          result.naive = {
            claimsPerSec: naive.claimsPerSec,
            claims: naive.consumed,
            seconds: naive.sustainedSeconds,
            completed: naive.completed,
            totalsMatch: null,
            cpu: naive.cpu,
          };
          result.ratio = result.accumulator.claimsPerSec / naive.claimsPerSec;
          if (naive.completed) {
            // Evidence that the baseline is faithful: it reaches the same totals.
            const keys = naiveKeys(naive.prefix);
            result.naive.totalsMatch = (await checkTotals(redis, filled.oracle, keys.months, naiveMonths)).match;
          }
        });
    } finally {
      filled = undefined;
      if (!args.keep) await cleanupPhase(kafka, redis, names, [`${names.group}-naive`]);
      if (!args.keep) await deleteKeys(redis, `${names.redisPrefix}n:*`);
    }
  }

  if (only.has('ingest')) {
    const names = phaseNames(runId, 'i');
    try {
      await phase('ingest', async () => {
        result.ingest = await runIngest(infra, redis, names, secrets, {
          claims: settings.ingestClaims,
          batchSize: settings.batch,
          concurrency: settings.concurrency,
          seed: settings.seed + 1,
          // Ingest refuses claims older than the months kept as of its own clock: its feed ends today.
          endDate: shanghaiDate(new Date()),
          partitions: settings.partitions,
          order: settings.order,
          ...(nodeOptions ? { nodeOptions } : {}),
        });
      });
    } finally {
      if (!args.keep) await cleanupPhase(kafka, redis, names);
    }
  }

  if (only.has('latency')) {
    const names = phaseNames(runId, 'l');
    try {
      await phase('latency', async () => {
        result.latency = await runLatency(infra, names, secrets, probe, redis, {
          ratePerSec: settings.rate,
          seconds: settings.latencySeconds,
          triggers: settings.triggers,
          seed: settings.seed + 2,
          partitions: settings.partitions,
          batchMs: 10,
          order: settings.order,
          accumulatorEnv: settings.accumulatorEnv,
          instances: settings.instances,
          ...(nodeOptions ? { nodeOptions } : {}),
        });
      });
    } finally {
      if (!args.keep) await cleanupPhase(kafka, redis, names);
    }
  }
  if (only.has('backfill')) {
    const names = phaseNames(runId, 'b');
    try {
      await phase('backfill', async () => {
        result.backfill = await runBackfillPhase(infra, redis, names, secrets, probe, {
          claims: settings.backfillClaims,
          seed: settings.seed + 3,
          endDate,
          partitions: settings.partitions,
          instances: settings.instances,
          env: settings.accumulatorEnv,
          say,
        });
      });
    } finally {
      if (!args.keep) await cleanupPhase(kafka, redis, names);
    }
  }

  if (only.has('dashboard')) {
    const names = phaseNames(runId, 'd');
    try {
      await phase('dashboard', async () => {
        // Shanghai: 16 districts, about 220 streets and towns.
        result.dashboard = await runDashboard(
          infra,
          redis,
          names,
          {
            alerts: settings.dashboardAlerts,
            districts: 16,
            streetsPerDistrict: 14,
            requests: 30,
            seed: settings.seed,
          },
          say,
        );
      });
    } finally {
      if (!args.keep) await cleanupPhase(kafka, redis, names);
    }
  }
} finally {
  await probe.close();
  await redis.quit();
  await infra.stop();
}

result.finishedAt = new Date().toISOString();
process.stdout.write(`\n${table(result)}\n\n`);
writeJson(jsonPath, result);
say(`[bench] JSON: ${jsonPath}${args.profile ? `; CPU profiles: ${profileDir}` : ''}`);
if (args.keep) say(`[bench] kept; remove with: npm run bench -- cleanup ${runId}`);
process.exitCode = Object.keys(result.errors).length > 0 ? 1 : 0;
