// The identity store away: a delivery whose identities cannot be kept is not published (503
// IDENTITY_STORE_UNAVAILABLE over HTTP, the batch retried on the Kafka input), and both go on once it is
// back. The identity store is a Redis of this test's own (a port of the reserved range), so stopping it
// touches nobody else.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { claim, residentId, waitFor } from '@warnline/test';
import { createPseudonymiser } from '../../src/pseudonym.ts';
import { PSEUDONYM_KEY, tappedIngestForFile } from '../support/integration.ts';

const PORT = 18_231;
const url = `redis://127.0.0.1:${PORT}`;
let server: ChildProcess | undefined;

async function startRedis(): Promise<void> {
  server = spawn('redis-server', ['--port', String(PORT), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitFor('the identity Redis to answer', async () => {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  });
}

async function stopRedis(): Promise<void> {
  const running = server;
  server = undefined;
  if (!running || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGTERM');
  await exited;
}

beforeAll(startRedis);
afterAll(stopRedis);

const run = tappedIngestForFile('identity-outage-', {
  IDENTITY_KEYS: `k1:${Buffer.alloc(32, 5).toString('base64')}`,
  IDENTITY_KEY_ID: 'k1',
  IDENTITY_REDIS_URL: url,
});
const pseudonymOf = createPseudonymiser(PSEUDONYM_KEY);

describe('identity store outage', () => {
  it('publishes nothing whose identity it could not keep, and catches up once the store is back', async () => {
    const first = claim({ personId: residentId(801) });
    expect((await run.ingest.post('/v1/claims', [first])).status).toBe(202);
    await run.tap.waitForCount(run.ingest.topics.claims, 1);

    await stopRedis();
    const refused = await run.ingest.post('/v1/claims', [claim({ personId: residentId(802) })]);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ code: 'IDENTITY_STORE_UNAVAILABLE', retriable: true });
    // A person whose identity is already kept needs no write: that claim still goes through.
    expect((await run.ingest.post('/v1/claims', [claim({ personId: residentId(801) })])).status).toBe(202);
    // The Kafka input holds its batch instead of parking it.
    const viaKafka = claim({ personId: residentId(803) });
    await run.producer.send({
      topic: run.ingest.topics.claimsRaw,
      acks: -1,
      messages: [{ value: JSON.stringify(viaKafka) }],
    });

    await startRedis();
    await waitFor(
      'the Kafka input to publish its held claim',
      () => run.tap.on(run.ingest.topics.claims).some((m) => m.value?.includes(viaKafka.claimId)) || undefined,
      { timeoutMs: 60_000 },
    );
    const again = await waitFor('ingest to take claims again', async () => {
      const res = await run.ingest.post('/v1/claims', [claim({ personId: residentId(802) })]);
      return res.status === 202 ? res : undefined;
    });
    expect(again.status).toBe(202);

    const store = new Redis(url);
    try {
      for (const seq of [802, 803]) {
        expect(await store.exists(`wl:identity:${pseudonymOf(residentId(seq))}`), `identity of ${seq}`).toBe(1);
      }
    } finally {
      store.disconnect();
    }
    // Nothing was parked or dead-lettered for the outage.
    expect(run.tap.on(run.ingest.topics.claimsDlq)).toEqual([]);
  });
});
