// The process spawner used by the tests, the benchmark and the demo.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startScript, startService } from '../src/processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'processes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('startService', () => {
  it('fails at once with the output of a service that exits before it is healthy', async () => {
    // No KAFKA_BROKERS: the ingest refuses its configuration and exits within a second or two.
    const started = Date.now();
    const error = await startService('ingest', { PSEUDONYM_KEY: 'k'.repeat(32) }, 1).then(
      () => null,
      (err: unknown) => err as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toMatch(/ingest exited with \d+/);
    expect(error?.message).toContain('KAFKA_BROKERS');
    expect(error?.message).not.toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 90_000);
});

describe('startScript', () => {
  it('is ready once the script prints its ready line, and stops on SIGTERM', async () => {
    const script = join(dir, 'ready.mjs');
    writeFileSync(
      script,
      "console.log('starting'); setTimeout(() => console.log('listening now'), 50);" +
        "process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000);",
    );
    const proc = await startScript(script, {}, 'listening now', 20_000);
    expect(proc.output()).toContain('starting');
    expect(await proc.stop()).toBe(0);
  });

  it('fails at once when the script exits before its ready line', async () => {
    const script = join(dir, 'exits.mjs');
    writeFileSync(script, "console.error('cannot start'); process.exit(3);");
    const started = Date.now();
    await expect(startScript(script, {}, 'never printed', 60_000)).rejects.toThrow(/exited with 3[\s\S]*cannot start/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
