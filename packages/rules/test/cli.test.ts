// The CLI of docs/contracts.md: `warnline rules eval` and `warnline rules list`, in-process and as a process.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type CliIo } from '../src/cli/run.ts';
import { claim, household } from './helpers.ts';

function io(stdin = '', files: Record<string, string> = {}, dirs: Record<string, string[]> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = {
    readStdin: async () => stdin,
    readFile: async (path) => {
      if (!(path in files)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return files[path]!;
    },
    readDir: async (path) => {
      if (!(path in dirs)) throw Object.assign(new Error('no such directory'), { code: 'ENOENT' });
      return dirs[path]!;
    },
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  };
  return { cli, out: () => out.join(''), err: () => err.join('') };
}

const caseJson = JSON.stringify({ household: household(), claims: [claim({ burden: '24000.00' })] });

describe('warnline rules eval', () => {
  it('prints one decision as JSON and exits 0', async () => {
    const t = io(caseJson);
    expect(await run(['rules', 'eval', '--rule-set', 'shanghai', '--as-of', '2024-06-30'], t.cli)).toBe(0);
    const decision = JSON.parse(t.out());
    expect(decision).toMatchObject({
      ruleSet: 'shanghai@2023-07-01',
      level: 'action',
      burdenRatio: '0.4000',
      window: { from: '2023-07', to: '2024-06' },
    });
    expect(t.err()).toBe('');
  });

  it('reads --input FILE', async () => {
    const t = io('', { 'case.json': caseJson });
    expect(
      await run(['rules', 'eval', '--rule-set', 'rizhao', '--as-of', '2024-06-30', '--input', 'case.json'], t.cli),
    ).toBe(0);
    expect(JSON.parse(t.out()).ruleSet).toBe('rizhao@2022-02-28');
  });

  it('bad input: exit 2 and every reason on stderr, no stack trace', async () => {
    const bad = JSON.parse(caseJson);
    bad.claims[0].amounts.cash = '1.00';
    bad.claims.push({ claimId: 'x' });
    bad.household.annualDisposableIncome = 60000;
    const t = io(JSON.stringify(bad));
    expect(await run(['rules', 'eval', '--rule-set', 'nowhere', '--as-of', '2024-06-30'], t.cli)).toBe(2);
    const err = t.err();
    expect(err).toContain('--rule-set: RULE_SET_UNKNOWN');
    expect(err).toContain('claims[0].amounts: AMOUNT_IDENTITY');
    expect(err).toContain('claims[1].type: MISSING_FIELD');
    expect(err).toContain('household.annualDisposableIncome: WRONG_TYPE');
    expect(err).not.toMatch(/\n\s+at /);
    expect(t.out()).toBe('');
  });

  it('missing options, bad dates, unparseable JSON, unreadable files', async () => {
    let t = io('{not json');
    expect(await run(['rules', 'eval'], t.cli)).toBe(2);
    expect(t.err()).toContain('--as-of: MISSING_FIELD');
    expect(t.err()).toContain('--rule-set: MISSING_FIELD');
    expect(t.err()).toContain('UNPARSEABLE');

    t = io(caseJson);
    expect(await run(['rules', 'eval', '--rule-set', 'shanghai', '--as-of', '2024-02-30'], t.cli)).toBe(2);
    expect(t.err()).toContain('--as-of: INVALID_DATE');

    t = io(caseJson);
    expect(await run(['rules', 'eval', '--rule-set', 'unknown', '--as-of', 'soon'], t.cli)).toBe(2);
    expect(t.err()).toContain('RULE_SET_UNKNOWN');

    t = io(caseJson);
    expect(await run(['rules', 'eval', '--rule-set', 'shanghai', '--as-of', '2020-01-01'], t.cli)).toBe(2);
    expect(t.err()).toContain('RULE_SET_NOT_EFFECTIVE');

    t = io();
    expect(
      await run(['rules', 'eval', '--rule-set', 'shanghai', '--as-of', '2024-06-30', '--input', 'missing.json'], t.cli),
    ).toBe(2);
    expect(t.err()).toContain('--input: UNREADABLE');

    t = io();
    expect(await run(['rules', 'eval', '--bogus'], t.cli)).toBe(2);
    expect(t.err()).toContain('usage:');
  });
});

/** The 2025 city income, as an operator adds it in a data file. */
const income2025 = JSON.stringify({
  ruleSet: 'shanghai',
  cityPerCapitaIncome: [
    { from: '2026-01-01', year: 2025, value: '91000', citation: '沪府办规〔2022〕19号 四', confirmed: true },
  ],
});
const staleNames = (decision: { warnings: { code: string; parameter?: { name: string } }[] }) =>
  decision.warnings.filter((w) => w.code === 'PARAMETER_STALE').map((w) => w.parameter?.name);

describe('warnline rules eval --data-dir', () => {
  it('merges the JSON files of the directory over the built-in figures', async () => {
    const args = ['rules', 'eval', '--rule-set', 'shanghai', '--as-of', '2026-03-31'];
    const without = io(caseJson);
    expect(await run(args, without.cli)).toBe(0);
    expect(staleNames(JSON.parse(without.out()))).toContain('cityPerCapitaIncome');

    const t = io(
      caseJson,
      { 'data/2025.json': income2025, 'data/README.txt': 'not read' },
      { data: ['2025.json', 'README.txt'] },
    );
    expect(await run([...args, '--data-dir', 'data'], t.cli)).toBe(0);
    const decision = JSON.parse(t.out());
    expect(decision.parameters.cityPerCapitaIncome).toMatchObject({ year: 2025, value: '91000' });
    expect(staleNames(decision)).not.toContain('cityPerCapitaIncome');
  });

  it('invalid data or an unreadable directory: exit 2 with the file and field', async () => {
    const args = ['rules', 'eval', '--rule-set', 'shanghai', '--as-of', '2026-03-31', '--data-dir', 'data'];
    let t = io(
      caseJson,
      { 'data/a.json': '{"ruleSet":"shanghai","cityPerCapitaIncome":[{"from":"2026-01-01"}]}', 'data/b.json': '{' },
      { data: ['b.json', 'a.json'] },
    );
    expect(await run(args, t.cli)).toBe(2);
    expect(t.err()).toContain('--data-dir: RULE_SET_DATA_INVALID: a.json: cityPerCapitaIncome.0.value');
    expect(t.err()).toContain('--data-dir: RULE_SET_DATA_INVALID: b.json: (data): not JSON');
    expect(t.out()).toBe('');

    t = io(caseJson);
    expect(await run(args, t.cli)).toBe(2);
    expect(t.err()).toContain('--data-dir: RULE_SET_DATA_INVALID: data: cannot read the directory (ENOENT)');
  });
});

describe('warnline rules list and usage', () => {
  it('lists rule sets with versions and effective dates', async () => {
    const t = io();
    expect(await run(['rules', 'list'], t.cli)).toBe(0);
    expect(t.out()).toContain('shanghai@2023-07-01');
    expect(t.out()).toContain('rizhao@2022-02-28');
    const j = io();
    expect(await run(['rules', 'list', '--json'], j.cli)).toBe(0);
    expect(JSON.parse(j.out())).toHaveLength(2);
    const bad = io();
    expect(await run(['rules', 'list', '--nope'], bad.cli)).toBe(2);
  });

  it('help, unknown commands, internal errors', async () => {
    const h = io();
    expect(await run(['--help'], h.cli)).toBe(0);
    expect(h.out()).toContain('warnline rules eval');
    const u = io();
    expect(await run(['rules', 'frobnicate'], u.cli)).toBe(2);
    expect(u.err()).toContain('unknown command');
    const broken = io();
    broken.cli.readStdin = () => {
      throw new Error('boom');
    };
    broken.cli.stdout = () => {
      throw new Error('stdout closed');
    };
    expect(await run(['rules', 'list'], broken.cli)).toBe(1);
    expect(broken.err()).toBe('warnline: internal error: stdout closed\n');
  });
});

describe('bin/warnline.js as a process', () => {
  const bin = fileURLToPath(new URL('../bin/warnline.js', import.meta.url));
  // The Node running the tests, and Node 20 when the machine has it (the bin must work on both).
  const nodes = [process.execPath, '/usr/bin/node'].filter((p, i, all) => existsSync(p) && all.indexOf(p) === i);

  it.each(nodes)('%s: case on stdin → decision on stdout, exit 0', (node) => {
    const stdout = execFileSync(node, [bin, 'rules', 'eval', '--rule-set', 'shanghai', '--as-of', '2024-06-30'], {
      input: caseJson,
      encoding: 'utf8',
    });
    expect(JSON.parse(stdout).level).toBe('action');
  });

  it('--data-dir reads a real directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warnline-rules-data-'));
    try {
      writeFileSync(join(dir, 'income-2025.json'), income2025);
      const stdout = execFileSync(
        process.execPath,
        [bin, 'rules', 'eval', '--rule-set', 'shanghai', '--as-of', '2026-03-31', '--data-dir', dir],
        { input: caseJson, encoding: 'utf8' },
      );
      expect(JSON.parse(stdout).parameters.cityPerCapitaIncome.year).toBe(2025);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad input exits 2 with reasons, no stack trace', () => {
    const r = spawnSync(process.execPath, [bin, 'rules', 'eval', '--rule-set', 'shanghai', '--as-of', '2024-06-30'], {
      input: '[]',
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('NOT_AN_OBJECT');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
