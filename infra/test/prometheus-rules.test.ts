// infra/prometheus as promtool sees it: the scrape configuration and the alert rules are valid, and each
// rule fires on the series it is meant for and stays quiet otherwise (rules.test.yml). promtool comes from
// Debian's prometheus package (infra/prometheus/ensure-installed.sh).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/index.ts';
import { createMetrics as accumulatorMetrics } from '../../services/accumulator/src/metrics.ts';
import { createMetrics as ingestMetrics } from '../../services/ingest/src/metrics.ts';
import { createMetrics as alerterMetrics } from '../../services/alerter/src/metrics.ts';
import type { AlertStore } from '../../services/alerter/src/alert-store.ts';

const run = promisify(execFile);
const dir = join(REPO_ROOT, 'infra', 'prometheus');
const promtool = (...args: string[]) => run('promtool', args, { cwd: dir });

describe('infra/prometheus', () => {
  it('promtool check config: the scrape configuration and its rule file are valid', async () => {
    const { stdout } = await promtool('check', 'config', 'prometheus.yml');
    expect(stdout).toContain('SUCCESS: prometheus.yml is valid');
    expect(stdout).toContain('1 rule files found');
  });

  it('promtool check rules: every rule is valid', async () => {
    const { stdout } = await promtool('check', 'rules', 'rules.yml');
    expect(stdout).toContain('SUCCESS: 5 rules found');
  });

  it('names only metrics the services export (a misspelt one would never fire)', () => {
    const exported = new Set(
      [
        ingestMetrics().registry,
        accumulatorMetrics().registry,
        alerterMetrics({} as AlertStore, async () => []).registry,
      ]
        .flatMap((r) => r.getMetricsAsArray())
        .map((m) => m.name),
    );
    const used = [
      ...readFileSync(join(dir, 'rules.yml'), 'utf8').matchAll(/\b(?:ingest|accumulator|warnline)_[a-z_]+/g),
    ].map((m) => m[0]);
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((name) => !exported.has(name))).toEqual([]);
  });

  it('promtool test rules: each alert fires on its series, and only then', async () => {
    const { stdout } = await promtool('test', 'rules', 'rules.test.yml');
    expect(stdout).toContain('SUCCESS');
  });
});
