// The benchmark's smoke run as a test: `npm run bench -- --smoke` against the broker and Redis of
// the integration tier. It checks that every measurement ran and that the totals in Redis equal the totals of
// the generated claims to the fen. It asserts no speed: CI machines differ, and a test that fails on a busy
// box teaches people to ignore it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT, SERVICE_NODE_FLAGS } from '@warnline/test';

const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runBench(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, 'bench/run.ts', ...args], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        KAFKA_BROKERS: inject('kafkaBrokers').join(','),
        REDIS_URL: inject('redisUrl'),
        KAFKA_VERSION: inject('brokerVersion'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

describe('npm run bench -- --smoke', () => {
  it('runs every measurement, prints the table and writes the JSON fields, totals equal to the fen', async () => {
    const json = join(dir, 'smoke.json');
    const oracle = join(dir, 'oracle.json');
    const { code, output } = await runBench([
      '--smoke',
      '--json',
      json,
      '--end-date',
      '2026-06-30',
      '--seed',
      '7',
      '--oracle-out',
      oracle,
    ]);
    expect(code, output.slice(-4000)).toBe(0);
    expect(output).toContain('| measurement');
    const r = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown> & {
      accumulator: Record<string, unknown>;
      naive: Record<string, unknown>;
      ingest: Record<string, unknown>;
      latency: Record<string, unknown>;
      redis: Record<string, unknown>;
      errors: Record<string, string>;
    };
    expect(r.errors).toEqual({});
    // The run can be told apart and repeated: its id, as-of date, seed and order are recorded.
    expect(r).toMatchObject({ asOf: '2026-06-30', seed: 7, order: 'interleaved' });
    expect(r.runId).toMatch(/^bench/);
    // The expected totals: every person the accumulator was checked against, and the registry households.
    const expected = JSON.parse(readFileSync(oracle, 'utf8')) as {
      runId: string;
      persons: Record<string, Record<string, { burdenFen: number }>>;
      households: Record<string, unknown>;
    };
    expect(expected.runId).toBe(r.runId);
    expect(Object.keys(expected.persons)).toHaveLength((r.totals as { persons: number }).persons);
    expect(Object.keys(expected.households).length).toBeGreaterThan(0);
    expect(r.totalsMatch).toBe(true);
    expect(Number.isInteger(r.claims) && (r.claims as number) > 0).toBe(true);
    expect(positive(r.accumulator.claimsPerSec)).toBe(true);
    expect(r.accumulator.completed).toBe(true);
    expect(positive(r.naive.claimsPerSec)).toBe(true);
    // The baseline is only a fair comparison if it does the same state change: it must reach the same totals
    // when it got to the end of the topic within its time limit (checked only then: partial totals differ).
    expect(r.naive.totalsMatch).toBe(r.naive.completed ? true : null);
    expect(positive(r.ratio)).toBe(true);
    expect(positive(r.ingest.claimsPerSec)).toBe(true);
    expect(finite(r.latency.p50Ms)).toBe(true);
    expect(finite(r.latency.p99Ms)).toBe(true);
    expect(r.latency.p99Ms as number).toBeGreaterThanOrEqual(r.latency.p50Ms as number);
    expect(r.latency.alertsSeen).toBe(r.latency.triggers);
    expect(positive(r.redis.bytesPerPerson)).toBe(true);
    expect(positive(r.redis.bytesPerDedupClaim)).toBe(true);
  }, 300_000);

  it('--only backfill: loads a city sample from files, goes live, totals equal to the fen', async () => {
    const json = join(dir, 'backfill.json');
    const { code, output } = await runBench([
      '--smoke',
      '--only',
      'backfill',
      '--backfill-claims',
      '5000',
      '--json',
      json,
    ]);
    expect(code, output.slice(-4000)).toBe(0);
    expect(output).toContain('go-live from files, end to end');
    const r = JSON.parse(readFileSync(json, 'utf8')) as {
      errors: Record<string, string>;
      backfill: Record<string, unknown> & { alerts: Record<string, number> };
    };
    expect(r.errors).toEqual({});
    expect(r.backfill.totalsMatch).toBe(true);
    expect(r.backfill.mismatches).toBe(0);
    expect(r.backfill.claims as number).toBeGreaterThanOrEqual(5000);
    // Every registry household is evaluated once by the go-live (no claim refused: none is a household of one).
    expect(r.backfill.evaluated).toBe(r.backfill.households);
    expect(positive(r.backfill.endToEndClaimsPerSec)).toBe(true);
  }, 300_000);
});
