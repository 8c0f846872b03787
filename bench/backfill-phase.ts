// Go-live from files, end to end: a synthetic city sample written to disk as the bureaus export it (registry
// and claims as JSON Lines, identity numbers in clear), then timed from the first line read to the go-live
// report: `warnline backfill` (registry, then claims) → Kafka → the accumulator (evaluation deferred) →
// `go-live release` (each household evaluated once, alerts in priority order). Totals are checked against
// the feed's oracle, to the fen.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { freePort, REPO_ROOT, runScript, startService, type Infra, type RunningService } from '@warnline/infra';
import { NetTotals } from '@warnline/synthetic';
import { accumulatorLayout } from './accumulator-layout.ts';
import { startCpuMeter, type CpuShare } from './cpu.ts';
import { cachedPseudonymiser, claimEvent, claimsUpTo, deliveryOrder, feedOptions, generateHouseholds } from './feed.ts';
import type { LagProbe } from './lag.ts';
import { progress } from './progress.ts';
import { checkTotals } from './redis-state.ts';
import { serviceEnv, type PhaseNames, type Secrets } from './stack.ts';

const BACKFILL_CLI = join(REPO_ROOT, 'services', 'backfill', 'src', 'cli', 'main.ts');
const GO_LIVE_CLI = join(REPO_ROOT, 'services', 'accumulator', 'src', 'cli', 'go-live.ts');

export interface BackfillBenchResult {
  /** Claim lines in the file (duplicate deliveries of the feed included). */
  claims: number;
  households: number;
  fileBytes: number;
  /** The backfill command alone: claims file read, validated, pseudonymised and acknowledged by Kafka. */
  loadSeconds: number;
  loadClaimsPerSec: number;
  /** From the end of the load until the accumulator had committed every message. */
  catchUpSeconds: number;
  /** `go-live release`: every household evaluated once, alerts raised. */
  goLiveSeconds: number;
  evaluated: number;
  alerts: { action: number; warning: number; watch: number };
  /** From the first line of the registry read to the go-live report. */
  endToEndSeconds: number;
  endToEndClaimsPerSec: number;
  instances: number;
  totalsMatch: boolean;
  persons: number;
  mismatches: number;
  cpu?: CpuShare;
}

/** Writes lines to a file, waiting when the stream is full. */
async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  let chunk = '';
  for (const line of lines) {
    chunk += `${line}\n`;
    if (chunk.length >= 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((r, j) => out.once('finish', () => r()).once('error', j));
}

export async function runBackfillPhase(
  infra: Infra,
  redis: Redis,
  names: PhaseNames,
  secrets: Secrets,
  probe: LagProbe,
  o: {
    claims: number;
    seed: number;
    endDate: string;
    partitions: number;
    instances: number;
    env: Record<string, string>;
    say: (line: string) => void;
  },
): Promise<BackfillBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'warnline-bench-backfill-'));
  const services: RunningService[] = [];
  try {
    // 1. The exports on disk (not timed).
    const options = feedOptions(o.seed, o.claims, o.endDate);
    const households = generateHouseholds(options);
    const pseudonym = cachedPseudonymiser(secrets.pseudonymKey);
    const oracle = new NetTotals();
    const bar = progress('write files', o.claims);
    await writeLines(
      join(dir, 'registry.jsonl'),
      households.map((h) => JSON.stringify(h)),
    );
    await writeLines(
      join(dir, 'claims.jsonl'),
      (function* () {
        for (const raw of deliveryOrder(claimsUpTo(options, households, o.claims), 'interleaved', o.seed)) {
          oracle.add(claimEvent(raw, pseudonym(raw.personId), ''));
          bar.tick(1);
          yield JSON.stringify(raw);
        }
      })(),
    );
    bar.done();
    const fileBytes = (await stat(join(dir, 'claims.jsonl'))).size;

    // 2. Evaluation deferred, then the accumulator(s).
    const env = {
      ...serviceEnv(infra, names, secrets, o.partitions),
      AS_OF: o.endDate,
      ROLLOVER_ENABLED: 'false',
      ...o.env,
    };
    const deferred = await runScript(GO_LIVE_CLI, ['defer'], env);
    if (deferred.code !== 0) throw new Error(`go-live defer failed: ${deferred.stderr}`);
    for (let i = 0; i < o.instances; i++) {
      const port = await freePort();
      services.push(await startService('accumulator', { ...env, ACCUMULATOR_PORT: String(port) }, port));
    }
    const meter = await startCpuMeter(
      redis,
      Object.fromEntries(services.map((s, i) => [`accumulator${i + 1}`, s.process.pid ?? 0])),
    );

    // 3. The load, timed from its first line.
    const started = performance.now();
    const load = async (kind: string, file: string) => {
      const run = await runScript(BACKFILL_CLI, ['--kind', kind, '--no-progress', file], env, { cwd: dir });
      if (run.code !== 0) throw new Error(`backfill ${kind} exited ${run.code}: ${run.stderr.slice(-2000)}`);
      return JSON.parse(run.stdout.trim().split('\n').pop()!) as { accepted: number; rejected: number };
    };
    const registry = await load('households', 'registry.jsonl');
    const claimsStarted = performance.now();
    const loaded = await load('claims', 'claims.jsonl');
    const loadedAt = performance.now();
    o.say(
      `[bench] backfill: ${registry.accepted} households, ${loaded.accepted} claims (${loaded.rejected} rejected) in ${((loadedAt - started) / 1000).toFixed(1)} s`,
    );
    for (;;) {
      if ((await probe.lag(names.group, [names.topics.claims, names.topics.households])) === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const caughtUpAt = performance.now();
    const release = await runScript(GO_LIVE_CLI, ['release', '--wait-ms', '0'], env);
    if (release.code !== 0) throw new Error(`go-live release failed: ${release.stderr.slice(-2000)}`);
    const report = JSON.parse(release.stdout.trim().split('\n').pop()!) as {
      evaluated: number;
      alerts: BackfillBenchResult['alerts'];
    };
    const doneAt = performance.now();
    const cpu = await meter();

    const layout = accumulatorLayout(names.redisPrefix);
    const totals = await checkTotals(redis, oracle, layout.personKey, layout.readMonths);
    const claims = oracle.deliveries;
    return {
      claims,
      households: households.length,
      fileBytes,
      loadSeconds: (loadedAt - claimsStarted) / 1000,
      loadClaimsPerSec: claims / ((loadedAt - claimsStarted) / 1000),
      catchUpSeconds: (caughtUpAt - loadedAt) / 1000,
      goLiveSeconds: (doneAt - caughtUpAt) / 1000,
      evaluated: report.evaluated,
      alerts: report.alerts,
      endToEndSeconds: (doneAt - started) / 1000,
      endToEndClaimsPerSec: claims / ((doneAt - started) / 1000),
      instances: o.instances,
      totalsMatch: totals.match,
      persons: totals.persons,
      mismatches: totals.mismatches,
      cpu,
    };
  } finally {
    for (const s of services) await s.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
