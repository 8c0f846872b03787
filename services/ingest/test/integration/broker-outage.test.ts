// Broker down → 503, broker back → the same request succeeds, and nothing is lost. Runs against a second
// broker of its own (infra/kafka.sh on free ports), never the shared one.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@warnline/infra';
import { claim, residentId, REPO_ROOT, waitFor } from '@warnline/test';
import { startIngest, Tap, type Ingest } from '../support/integration.ts';

let port = 0;
let controllerPort = 0;
let runDir = '';
let ingest: Ingest | undefined;

function kafkaScript(command: 'start' | 'stop'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(REPO_ROOT, 'infra', 'kafka.sh'), command], {
      env: { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`kafka.sh ${command} on ${port} failed (${code}):\n${output}`)),
    );
  });
}

beforeAll(async () => {
  [port, controllerPort] = [await freePort(), await freePort()];
  runDir = join(process.env.WARNLINE_CACHE ?? join(homedir(), '.cache', 'warnline'), `kafka-run-${port}`);
  if (existsSync(runDir)) throw new Error(`${runDir} exists: another broker may own port ${port}`);
  await kafkaScript('start');
});

afterAll(async () => {
  await ingest?.service.stop();
  // Only our own broker (KAFKA_PORT is set), then its data directory.
  if (port) await kafkaScript('stop').catch(() => undefined);
  if (runDir.endsWith(`kafka-run-${port}`)) rmSync(runDir, { recursive: true, force: true });
});

describe('a Kafka outage', () => {
  it('answers 503 while the broker is down, 202 for the same request once it is back, and loses nothing', async () => {
    const brokers = [`127.0.0.1:${port}`];
    ingest = await startIngest(brokers, { INGEST_PUBLISH_TIMEOUT_MS: '3000' });
    const first = claim({ personId: residentId(301) });
    expect((await ingest.post('/v1/claims', [first])).status).toBe(202);

    await kafkaScript('stop');
    const during = claim({ personId: residentId(302) });
    const started = Date.now();
    const down = await ingest.post('/v1/claims', [during]);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ code: 'KAFKA_UNAVAILABLE' });
    expect(down.headers.get('retry-after')).toBe('5');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(ingest.service.process.exitCode).toBeNull(); // still running: an outage is not a crash

    await kafkaScript('start');
    // What an HIS adapter does on 503: send the same request again until it is accepted.
    await waitFor(
      'the retried request to be accepted',
      async () => (await ingest!.post('/v1/claims', [during])).status === 202,
      { timeoutMs: 90_000, intervalMs: 500 },
    );

    const tap = await Tap.start(brokers, [ingest.topics.claims]);
    try {
      await waitFor(
        'both claims on claims.v1',
        () => {
          const ids = new Set(tap.on(ingest!.topics.claims).map((m) => JSON.parse(m.value!).claimId as string));
          return ids.has(first.claimId) && ids.has(during.claimId);
        },
        { timeoutMs: 60_000 },
      );
    } finally {
      await tap.stop();
    }
    expect((await fetch(`${ingest.url}/healthz`)).status).toBe(200);
    // The producer of the failed send was replaced, and the metric says so.
    const metrics = await (await fetch(`${ingest.url}/metrics`)).text();
    const discarded = /^ingest_kafka_producer_sessions_discarded_total (\d+)$/m.exec(metrics)?.[1];
    expect(Number(discarded)).toBeGreaterThanOrEqual(1);
  });
});
