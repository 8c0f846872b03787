// A real Prometheus (Debian's binary, its own port and a temporary storage directory) scrapes the three
// services with infra/prometheus's configuration and evaluates infra/prometheus/rules.yml: every target is
// up, every rule evaluates without error, and the series the rules are built on carry the pipeline's state
// (a hospital's last claim, the accumulator's lag, queue depths, Redis memory).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { parse, stringify } from 'yaml';
import { freePort } from '@warnline/infra';
import { claim, REPO_ROOT, residentId, uniqueId, waitFor, type RunningService } from '@warnline/test';
import { stackEnv, stackNames, startStack, stopStack } from './stack.ts';

const PROMETHEUS_DIR = join(REPO_ROOT, 'infra', 'prometheus');

interface PromConfig {
  global: Record<string, string>;
  rule_files: string[];
  scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
}

interface RuleGroups {
  groups: { rules: { name: string; health: string; lastError?: string; lastEvaluation: string }[] }[];
}

describe('Prometheus scrapes the services and evaluates the rules', () => {
  const names = stackNames();
  const services: RunningService[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'warnline-prometheus-'));
  let prometheus: ChildProcess | undefined;
  let prometheusOutput = '';
  let url = '';
  let redis: Redis;
  let alerter: RunningService;
  const adminToken = uniqueId('admin-token-0123456789');

  /** The data of a Prometheus API answer. */
  async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? res.status}`);
    return body.data;
  }

  /** The series of an instant query, as label sets with their value. */
  async function query(expr: string): Promise<{ metric: Record<string, string>; value: number }[]> {
    const data = await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
      `/api/v1/query?query=${encodeURIComponent(expr)}`,
    );
    return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  beforeAll(async () => {
    redis = new Redis(inject('redisUrl'));
    const listen = Number(process.env.WARNLINE_PROMETHEUS_PORT ?? (await freePort()));
    url = `http://127.0.0.1:${listen}`;
    const stack = await startStack({
      ...stackEnv({
        ...names,
        streets: '310113103',
        logLevel: 'warn',
        alerterTokens: [{ name: 'ops', token: adminToken, role: 'admin' }],
      }),
      ALERTER_LAG_GROUPS: names.group,
      ALERTER_PROMETHEUS_URL: url,
    });
    services.push(stack.ingest, stack.accumulator, stack.alerter);
    alerter = stack.alerter;
    const accepted = await fetch(`${stack.ingest.url}/v1/claims`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${names.hospitalToken}` },
      body: JSON.stringify([claim({ personId: residentId(11), cash: '500.00' })]),
    });
    expect(accepted.status).toBe(202);

    // The repository's configuration, with the stack's addresses and a quick rhythm for the test.
    const config = parse(readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')) as PromConfig;
    const port = (service: RunningService) => new URL(service.url).host;
    const targets: Record<string, string> = {
      ingest: port(stack.ingest),
      accumulator: port(stack.accumulator),
      alerter: port(stack.alerter),
    };
    expect(config.scrape_configs.map((c) => c.job_name).sort()).toEqual(Object.keys(targets).sort());
    config.global = { scrape_interval: '1s', evaluation_interval: '1s' };
    config.rule_files = config.rule_files.map((file) => join(PROMETHEUS_DIR, file));
    for (const job of config.scrape_configs) job.static_configs = [{ targets: [targets[job.job_name]!] }];
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));

    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${listen}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (c: Buffer) => (prometheusOutput += c.toString()));
    prometheus.stderr?.on('data', (c: Buffer) => (prometheusOutput += c.toString()));
    await waitFor(
      'Prometheus to be ready',
      async () => (await fetch(`${url}/-/ready`).catch(() => null))?.ok ?? false,
      {
        timeoutMs: 60_000,
      },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${prometheusOutput.slice(-3000)}`);
    });
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    await stopStack(services, redis, names);
  });

  it('scrapes all three services', async () => {
    const up = await waitFor('every target scraped and up', async () => {
      const series = await query('up');
      return series.length === 3 && series.every((s) => s.value === 1) ? series : undefined;
    });
    expect(up.map((s) => s.metric.job).sort()).toEqual(['accumulator', 'alerter', 'ingest']);
  });

  it('evaluates every rule of rules.yml without error', async () => {
    const rules = await waitFor('every rule evaluated', async () => {
      const data = await api<RuleGroups>('/api/v1/rules');
      const all = data.groups.flatMap((g) => g.rules);
      return all.length > 0 && all.every((r) => !r.lastEvaluation.startsWith('0001-')) ? all : undefined;
    });
    expect(rules.map((r) => r.name).sort()).toEqual([
      'WarnlineConsumerLagGrowing',
      'WarnlineDeadLetterRate',
      'WarnlineInstitutionSilent',
      'WarnlineOverdueAlerts',
      'WarnlineRedisMemoryHigh',
    ]);
    expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
    // A healthy pipeline fires nothing.
    expect((await api<{ alerts: unknown[] }>('/api/v1/alerts')).alerts).toEqual([]);
  });

  it('has the series the rules are built on', async () => {
    // The hospital that just sent a claim: its silence, as the silent-feed rule measures it, is seconds.
    const silence = await waitFor('the institution gauge scraped', async () => {
      const series = await query(
        'time() - max by (institution) (max_over_time(ingest_institution_last_claim_timestamp_seconds[7d]))',
      );
      return series.length > 0 ? series : undefined;
    });
    expect(silence.map((s) => s.metric.institution)).toEqual(['H31011000012']);
    expect(silence[0]!.value).toBeLessThan(600);

    const lag = await waitFor('the accumulator group lag', async () => {
      const series = await query(`warnline_kafka_consumer_lag{group="${names.group}"}`);
      return series.length > 0 ? series : undefined;
    });
    expect(lag.every((s) => s.value >= 0)).toBe(true);
    expect((await query('warnline_redis_used_memory_bytes'))[0]?.value).toBeGreaterThan(0);
    expect((await query('warnline_queue_jobs{state="waiting"}')).length).toBeGreaterThan(0);
  });

  it("gives admins the pipeline page's data, Prometheus's parts included", async () => {
    const get = (token?: string) =>
      fetch(`${alerter.url}/admin/pipeline`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await get()).status).toBe(401);
    const report = await waitFor('the pipeline report with the institution', async () => {
      const body = (await (await get(adminToken)).json()) as {
        institutions: { institution: string; silent: boolean; silentHours: number }[] | null;
        consumerLag: { group: string }[];
        queues: { queue: string }[];
        claimsPerSecond: number | null;
        deadLettersByCode: unknown[] | null;
        redisUsedMemoryBytes: number;
        board: string;
        prometheusError?: string;
      };
      return body.institutions?.length ? body : undefined;
    });
    expect(report.prometheusError).toBeUndefined();
    expect(report.institutions).toEqual([expect.objectContaining({ institution: 'H31011000012', silent: false })]);
    expect(report.consumerLag.map((l) => l.group)).toContain(names.group);
    expect(report.queues.length).toBeGreaterThan(0);
    expect(typeof report.claimsPerSecond).toBe('number');
    expect(report.deadLettersByCode).toEqual([]);
    expect(report.redisUsedMemoryBytes).toBeGreaterThan(0);
    expect(report.board).toBe('/admin/queues');
  });
});
