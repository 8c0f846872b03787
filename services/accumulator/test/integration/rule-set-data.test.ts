// The yearly figures behind an alert: a caseworker sees in the alert job that the city income quoted as
// "上年度" is an older year's figure, and an operator who adds the new figure as data (RULE_SET_DATA_DIR)
// removes the warning without a release. Invalid data stops the accumulator at start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Queue, type Job } from 'bullmq';
import { streetQueueName, type AlertJobData } from '@warnline/contracts';
import { REPO_ROOT, SERVICE_NODE_FLAGS, waitFor } from '@warnline/test';
import { pseudonymFor, registryHousehold, settlement } from '../support.ts';
import { Harness } from './harness.ts';

const STREET = '310115102';
const AS_OF = '2026-03-31';

/** The 2025 city income and the 2025 subsistence line, both checked against their publications. */
const figures2025 = {
  ruleSet: 'shanghai',
  cityPerCapitaIncome: [
    {
      from: '2026-01-01',
      year: 2025,
      value: '91000',
      citation: '沪府办规〔2022〕19号 四',
      confirmed: true,
      setting: { why: 'published each January', source: '上海市2025年国民经济和社会发展统计公报 (test figure)' },
    },
  ],
  subsistenceLineMonthly: [{ from: '2025-07-01', value: '1600', citation: '沪府办规〔2022〕19号 四', confirmed: true }],
};

describe('accumulator: rule-set data and the warnings of an alert', () => {
  const h = new Harness(1);
  const dir = mkdtempSync(join(tmpdir(), 'warnline-rule-set-data-'));
  let queue: Queue;

  /** Sends a household whose burden is half its income (EXPENDITURE_POVERTY_2) and waits for its alert. */
  const alertFor = async (tag: string): Promise<Job<AlertJobData>> => {
    const person = pseudonymFor();
    const hh = registryHousehold({
      householdId: `HH-${tag}-${person.slice(2, 10)}`,
      members: [person],
      income: '60000.00',
      streetCode: STREET,
    });
    await h.sendHouseholds([hh]);
    await waitFor(
      `household ${hh.householdId}`,
      async () => (await h.redis.hget(h.keys.household(hh.householdId), 'ver')) === '1',
    );
    await h.sendClaims([settlement({ person, serviceDate: '2026-03-10', cash: '30000.00', visitType: 'inpatient' })]);
    let job: Job<AlertJobData> | undefined;
    await waitFor(`alert of ${hh.householdId}`, async () => {
      const jobs = await queue.getJobs(['prioritized', 'waiting']);
      job = jobs.find((j) => j.data.householdId === hh.householdId);
      return job !== undefined;
    });
    return job!;
  };

  beforeAll(async () => {
    await h.setup();
    queue = new Queue(streetQueueName(STREET), { connection: h.redis.duplicate(), prefix: h.queuePrefix });
  });
  afterAll(async () => {
    await queue.close();
    rmSync(dir, { recursive: true, force: true });
    expect(await h.teardown()).toEqual([0, 0]);
  });

  it('without the 2025 figure, the alert says the city income is the 2024 one', async () => {
    const service = await h.start({ AS_OF });
    const job = await alertFor('STALE');
    expect(job.data.level).toBe('action');
    expect(job.data.warnings).toContainEqual(
      expect.objectContaining({
        code: 'PARAMETER_STALE',
        parameter: expect.objectContaining({ name: 'cityPerCapitaIncome', year: 2024, value: '88366' }),
      }),
    );
    expect(job.data.warnings?.find((w) => w.code === 'PARAMETER_STALE')?.message).toContain('2024');
    expect(await service.stop()).toBe(0);
  });

  it('started with a data dir holding the 2025 figures, the alert carries no warning', async () => {
    writeFileSync(join(dir, 'shanghai-2025.json'), JSON.stringify(figures2025));
    await h.start({ AS_OF, RULE_SET_DATA_DIR: dir });
    const job = await alertFor('FRESH');
    expect(job.data.level).toBe('action');
    expect(job.data.warnings).toEqual([]);
  });

  it('invalid data stops the accumulator at start with exit 78, naming the file and the field', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'warnline-rule-set-data-bad-'));
    try {
      writeFileSync(
        join(bad, 'typo.json'),
        JSON.stringify({
          ruleSet: 'shanghai',
          cityPerCapitaIncome: [{ from: '2026-01-01', year: 2025, value: '91000' }],
        }),
      );
      const main = join(REPO_ROOT, 'services', 'accumulator', 'src', 'main.ts');
      const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, main], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', ...h.env({ AS_OF, RULE_SET_DATA_DIR: bad, ACCUMULATOR_PORT: '0' }) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(78);
      expect(output).toMatch(/RULE_SET_DATA_INVALID[\s\S]*typo\.json: cityPerCapitaIncome\.0\.citation/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
