// An error a restart can cure stalls the batch and parks nothing: the accumulator's own Redis is a read-only
// replica (as after a failover that has not finished), so every write is refused with READONLY. The claims
// wait, unparked, until Redis takes writes again, and then count to the fen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedisServer } from '@warnline/infra';
import { waitFor } from '@warnline/test';
import { pseudonymFor, settlement } from '../support.ts';
import { Harness } from './harness.ts';

describe('accumulator: Redis refusing writes for a while', () => {
  let server: Awaited<ReturnType<typeof startRedisServer>>;
  let h: Harness;

  beforeAll(async () => {
    // A replica of a master that does not exist: it answers reads and refuses writes until promoted.
    server = await startRedisServer(['--replicaof', '127.0.0.1', String(await freePort())]);
    h = new Harness(1, server.url);
    await h.setup();
    await h.start({ ROLLOVER_ENABLED: 'false', PARK_AFTER_ATTEMPTS: '1', PARK_RETRY_BACKOFF_MS: '0' });
  });
  afterAll(async () => {
    expect(await h.teardown()).toEqual([0]);
    await server.stop();
  });

  const parkedCount = async () => {
    const admin = h.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(h.parkedTopic).finally(() => admin.disconnect());
    return offsets.reduce((s, o) => s + Number(o.high), 0);
  };

  it('waits for Redis to take writes again, parks nothing, and counts every claim once', async () => {
    const persons = [pseudonymFor(), pseudonymFor(), pseudonymFor()];
    const claims = persons.map((person, i) =>
      settlement({ person, serviceDate: `2024-0${i + 1}-15`, cash: `${i + 1}00.0${i + 1}` }),
    );
    await h.sendClaims(claims);
    const service = h.services[0]!;
    await waitFor('the batch refused by the read-only Redis', () => service.output().includes('READONLY'), {
      timeoutMs: 60_000,
    });
    // Refused more than once, with one attempt allowed per record: still nothing parked.
    await waitFor('a retry of the batch', () => service.output().split('READONLY').length > 2, { timeoutMs: 60_000 });
    expect(await parkedCount()).toBe(0);
    expect(await (await fetch(`${service.url}/healthz`)).json()).toMatchObject({ status: 'ok', parked: 0 });

    await h.redis.replicaof('NO', 'ONE');
    await h.drained();
    await h.expectTotalsMatch(claims, (actual, expected) => expect(actual).toEqual(expected));
    expect(await parkedCount()).toBe(0);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).not.toContain('accumulator_records_parked_total{');
    expect(metrics).toContain('accumulator_claims_applied_total 3');
  });
});
