// The result of a run: one object, printed as a table on stdout and written as JSON for tools that track
// the numbers over time (stable field names: accumulator.claimsPerSec, naive.claimsPerSec,
// ingest.claimsPerSec, latency.p50Ms, latency.p99Ms, redis.bytesPerPerson, redis.bytesPerDedupClaim,
// totalsMatch, claims).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatCpu, type CpuShare } from './cpu.ts';
import type { GoLiveRelease } from './accumulator-phase.ts';
import type { BackfillBenchResult } from './backfill-phase.ts';
import type { DashboardResult } from './dashboard-phase.ts';
import type { IngestResult } from './ingest-phase.ts';
import type { LatencyResult } from './latency-phase.ts';

export interface BenchResult {
  mode: 'full' | 'smoke';
  /** Prefix of every topic, group and key of the run (`npm run bench -- cleanup RUN_ID` after --keep). */
  runId: string;
  /** As-of date of the feed and of every evaluation (--end-date; default today in Shanghai). */
  asOf: string;
  /** Seed of the synthetic feed (--seed) and the order it was delivered in (--order). */
  seed: number;
  order: 'interleaved' | 'by-person';
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    kafka: string;
    redis: string;
    load1AtStart: number;
  };
  /** Claim deliveries in the accumulator's pre-filled claims.v1 (duplicates included). */
  claims: number;
  totalsMatch: boolean;
  totals: { persons: number; mismatches: number; examples: string[] };
  accumulator: {
    order: 'interleaved' | 'by-person';
    env: Record<string, string>;
    claimsPerSec: number;
    wallClaimsPerSec: number;
    claims: number;
    seconds: number;
    wallSeconds: number;
    partitions: number;
    instances: number;
    completed: boolean;
    cpu?: CpuShare;
    /** Household evaluations the instances made (coalesced: fewer than claims). */
    evaluations?: number;
    /** With --go-live: the drain ran with evaluation deferred, then `go-live release` evaluated each household once. */
    goLive?: GoLiveRelease;
  };
  naive: {
    claimsPerSec: number;
    claims: number;
    seconds: number;
    completed: boolean;
    totalsMatch: boolean | null;
    cpu?: CpuShare;
  };
  /** accumulator.claimsPerSec / naive.claimsPerSec. */
  ratio: number;
  ingest: IngestResult;

  /** The latency phase's result; its send duration is left out of the report. */
  latency: Omit<LatencyResult, 'seconds'>;

  redis: {
    bytesPerPerson: number;
    bytesPerDedupClaim: number;
    bytesPerHousehold: number;
    personsMeasured: number;
    dedupRecords: number;
    fieldsPerPerson: number;
    usedMemoryDeltaBytes: number;
    usedMemoryDeltaPerClaim: number;
  };
  prefill: { claims: number; households: number; persons: number; seconds: number };
  /** The go-live from files (run with --only backfill). */
  backfill?: BackfillBenchResult;
  /** The dashboard phase (only with `--only …,dashboard`). */
  dashboard?: DashboardResult;
  /** Phases that failed, with their error: their numbers are null in the JSON. */
  errors: Record<string, string>;
}

export const TARGETS = {
  accumulatorPerSec: 50_000,
  ratio: 5,
  ingestPerSec: 20_000,
  p99Ms: 1_000,
  bytesPerPerson: 1_024,
  bytesPerDedupClaim: 100,
  backfillPerSec: 50_000,
  dashboardMs: 300,
};

const n0 = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en') : '—');
const n1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
const mark = (ok: boolean | null) => (ok === null ? '' : ok ? 'yes' : 'NO');
/** Met or not, or blank when the number was not measured (a phase left out with --only, or failed). */
const meets = (value: number, ok: (v: number) => boolean) => mark(Number.isFinite(value) ? ok(value) : null);

/**
 * A go-live load (--go-live): the drain with evaluation deferred (the row above) plus the release that
 * evaluates each household once: the accumulator's share of loading a city's history.
 */
function goLiveRows(r: BenchResult): [string, string, string, string, string][] {
  const g = r.accumulator.goLive;
  if (!g) return [];
  const seconds = r.accumulator.seconds + g.seconds;
  const perSec = r.accumulator.claims / seconds;
  return [
    [
      'accumulator go-live load, drain + release',
      `${n0(perSec)} claims/s`,
      `≥ ${n0(TARGETS.accumulatorPerSec)}`,
      meets(perSec, (v) => v >= TARGETS.accumulatorPerSec),
      `${n0(r.accumulator.claims)} claims in ${n1(seconds)} s: drain ${n1(r.accumulator.seconds)} s, release ${n1(g.seconds)} s (${n0(g.evaluated)} households evaluated once, ${n0(g.published)} published, alerts ${g.alerts.action}/${g.alerts.warning}/${g.alerts.watch})`,
    ],
  ];
}

export function table(r: BenchResult): string {
  const rows: [string, string, string, string, string][] = [
    [
      r.accumulator.goLive ? 'accumulator, sustained, evaluation deferred' : 'accumulator, sustained',
      `${n0(r.accumulator.claimsPerSec)} claims/s`,
      `≥ ${n0(TARGETS.accumulatorPerSec)}`,
      meets(r.accumulator.claimsPerSec, (v) => v >= TARGETS.accumulatorPerSec),
      `${n0(r.accumulator.claims)} claims (${r.accumulator.order}), ${r.accumulator.partitions} partitions, ${r.accumulator.instances} instance(s)${
        Object.keys(r.accumulator.env).length
          ? ` ${Object.entries(r.accumulator.env)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ')}`
          : ''
      }, ${n1(r.accumulator.seconds)} s (wall ${n0(r.accumulator.wallClaimsPerSec)}/s), ${n0(r.accumulator.evaluations ?? NaN)} evaluations`,
    ],
    ...goLiveRows(r),
    [
      'naive (apply + evaluate, per message)',
      `${n0(r.naive.claimsPerSec)} claims/s`,
      '',
      '',
      `${n0(r.naive.claims)} claims in ${n1(r.naive.seconds)} s${r.naive.completed ? '' : ' (time-limited)'}${r.naive.totalsMatch === null ? '' : `, totals ${r.naive.totalsMatch ? 'match' : 'DIFFER'}`}`,
    ],
    [
      'accumulator / naive',
      `${Number.isFinite(r.ratio) ? r.ratio.toFixed(1) : '—'}×`,
      `≥ ${TARGETS.ratio}×`,
      meets(r.ratio, (v) => v >= TARGETS.ratio),
      '',
    ],
    [
      'ingest HTTP, batches of 500',
      `${n0(r.ingest.claimsPerSec)} claims/s`,
      `≥ ${n0(TARGETS.ingestPerSec)}`,
      meets(r.ingest.claimsPerSec, (v) => v >= TARGETS.ingestPerSec),
      `${n0(r.ingest.claims)} claims, ${r.ingest.concurrency} requests in flight, ${n1(r.ingest.seconds)} s`,
    ],
    [
      `202 → alert job, p50`,
      `${n0(r.latency.p50Ms)} ms`,
      '',
      '',
      `offered ${n0(r.latency.offeredPerSec)}/s (sent ${n0(r.latency.sentPerSec)}/s), ${r.latency.alertsSeen}/${r.latency.triggers} alerts, ${r.accumulator.instances} accumulator(s)`,
    ],
    [
      `202 → alert job, p99`,
      `${n0(r.latency.p99Ms)} ms`,
      `≤ ${n0(TARGETS.p99Ms)}`,
      meets(r.latency.p99Ms, (v) => v <= TARGETS.p99Ms),
      `max ${n0(r.latency.maxMs)} ms; request→202 p50 ${n0(r.latency.requestP50Ms)} / p99 ${n0(r.latency.requestP99Ms)} ms`,
    ],
    [
      'Redis per active person',
      `${n0(r.redis.bytesPerPerson)} B`,
      `≤ ${n0(TARGETS.bytesPerPerson)}`,
      meets(r.redis.bytesPerPerson, (v) => v <= TARGETS.bytesPerPerson),
      `buckets + active index, MEMORY USAGE of ${n0(r.redis.personsMeasured)} persons, ${n1(r.redis.fieldsPerPerson)} fields each; a registry household ${n0(r.redis.bytesPerHousehold)} B`,
    ],
    [
      'Redis per dedup claim',
      `${n1(r.redis.bytesPerDedupClaim)} B`,
      `≤ ${TARGETS.bytesPerDedupClaim}`,
      meets(r.redis.bytesPerDedupClaim, (v) => v <= TARGETS.bytesPerDedupClaim),
      `${n0(r.redis.dedupRecords)} records; INFO used_memory delta ${n1(r.redis.usedMemoryDeltaPerClaim)} B/claim`,
    ],
    [
      'totals equal to the fen',
      r.totals.persons === 0 ? '—' : r.totalsMatch ? 'yes' : 'NO',
      'yes',
      r.totals.persons === 0 ? '' : mark(r.totalsMatch),
      `${n0(r.totals.persons)} persons, ${r.totals.mismatches} mismatching`,
    ],
    ...(r.dashboard?.cases ?? []).map((c): [string, string, string, string, string] => [
      `dashboard ${c.scope}, ${c.days} days, p99`,
      `${n1(c.p99Ms)} ms`,
      `< ${TARGETS.dashboardMs}`,
      meets(c.p99Ms, (v) => v < TARGETS.dashboardMs),
      `p50 ${n1(c.p50Ms)} ms, max ${n1(c.maxMs)} ms, first (every street read) ${n1(c.firstMs)} ms; ${c.streets} streets, ${n0(r.dashboard!.alerts)} alerts in Redis`,
    ]),
  ];
  const b = r.backfill;
  if (b)
    rows.push(
      [
        'go-live from files, end to end',
        `${n0(b.endToEndClaimsPerSec)} claims/s`,
        `≥ ${n0(TARGETS.backfillPerSec)}`,
        meets(b.endToEndClaimsPerSec, (v) => v >= TARGETS.backfillPerSec),
        `${n0(b.claims)} claims, ${n0(b.households)} households, ${n1(b.endToEndSeconds)} s: load ${n1(b.loadSeconds)} s (${n0(b.loadClaimsPerSec)}/s), catch-up ${n1(b.catchUpSeconds)} s, go-live ${n1(b.goLiveSeconds)} s (${n0(b.evaluated)} evaluated, alerts ${b.alerts.action}/${b.alerts.warning}/${b.alerts.watch}), ${b.instances} accumulator(s)`,
      ],
      [
        'go-live totals equal to the fen',
        b.totalsMatch ? 'yes' : 'NO',
        'yes',
        mark(b.totalsMatch),
        `${n0(b.persons)} persons, ${b.mismatches} mismatching`,
      ],
    );
  const head: [string, string, string, string, string] = ['measurement', 'result', 'target', 'met', 'detail'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const lines = [fmt(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(fmt)];
  const m = r.machine;
  lines.push(
    '',
    `${r.mode} run, ${r.startedAt} → ${r.finishedAt}; ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, load average ${m.load1AtStart.toFixed(2)} at start`,
  );
  lines.push(`Kafka: ${m.kafka}; Redis: ${m.redis}`);
  for (const [name, cpu] of [
    ['accumulator', r.accumulator.cpu],
    ['naive', r.naive.cpu],
    ['ingest', r.ingest.cpu],
    ['latency', r.latency.cpu],
    ['backfill (the backfill commands count as other)', r.backfill?.cpu],
  ] as const) {
    if (cpu) lines.push(`${name}: ${formatCpu(cpu)}`);
  }
  if (r.latency.trend.length > 1)
    lines.push(
      `latency p50/max by 5 s of send time: ${r.latency.trend.map((t) => `${t.fromSec}s ${t.p50Ms}/${t.maxMs}`).join(', ')} ms`,
    );
  for (const [phase, error] of Object.entries(r.errors)) lines.push(`FAILED ${phase}: ${error}`);
  return lines.join('\n');
}

export function writeJson(path: string, r: BenchResult): void {
  mkdirSync(dirname(path), { recursive: true });
  // NaN and Infinity have no JSON spelling: a number that could not be measured is written as null.
  writeFileSync(
    path,
    `${JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`,
  );
}
