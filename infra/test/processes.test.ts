// The process spawner used by the tests, the benchmark and the demo.
import { describe, expect, it } from 'vitest';
import { startService } from '../src/processes.ts';

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
