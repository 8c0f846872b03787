// GET /v1/claims/{claimId} with ingest and the accumulator running as processes on the real broker and
// Redis: the hospital sees what became of each claim it sent (counted, reversed, a refused resend, a
// reversal that differs from its original), and a token of another institution learns nothing.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '@warnline/infra';
import {
  claim,
  residentId,
  uniqueId,
  startService,
  type RunningService,
  waitFor,
  deleteKeysUnder,
} from '@warnline/test';
import { startIngest, type Ingest } from '../support/integration.ts';

const prefix = uniqueId('wls');
const group = uniqueId('acc');
const tokens = { ruijin: uniqueId('ruijin-secret-0123456789-'), other: uniqueId('other-secret-0123456789-') };
let ingest: Ingest;
let accumulator: RunningService;

beforeAll(async () => {
  ingest = await startIngest(inject('kafkaBrokers'), {
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: prefix,
    INGEST_KAFKA_INPUT: 'false',
    INGEST_TOKENS: JSON.stringify([
      { name: 'ruijin', token: tokens.ruijin, role: 'hospital', institutions: ['H31011000012'] },
      { name: 'other', token: tokens.other, role: 'hospital', institutions: ['H31011500099'] },
    ]),
  });
  const port = await freePort();
  accumulator = await startService(
    'accumulator',
    {
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      REDIS_URL: inject('redisUrl'),
      TOPIC_NAMESPACE: ingest.topics.claims.slice(0, -'claims.v1'.length),
      TOPIC_PARTITIONS: '3',
      CONSUMER_GROUP: group,
      REDIS_PREFIX: prefix,
      QUEUE_PREFIX: uniqueId('wlq'),
      ACCUMULATOR_PORT: String(port),
      LOG_LEVEL: 'info',
    },
    port,
  );
});

afterAll(async () => {
  const codes = await Promise.all([accumulator?.stop(), ingest?.service.stop()]);
  const redis = new Redis(inject('redisUrl'));
  await deleteKeysUnder(redis, [prefix]);
  await redis.quit();
  expect(codes).toEqual([0, 0]);
});

function get(claimId: string, person: string | null, token = tokens.ruijin) {
  return fetch(`${ingest.url}/v1/claims/${encodeURIComponent(claimId)}`, {
    headers: { authorization: `Bearer ${token}`, ...(person === null ? {} : { 'x-person-id': person }) },
  });
}

describe('GET /v1/claims/{claimId}', () => {
  it('answers counted, reversed with the refused resend and the mismatch, and 404 to another institution', async () => {
    const person = residentId(700 + (process.pid % 200));
    const kept = claim({ personId: person, cash: '100.00' });
    const original = claim({ personId: person, cash: '4000.00' });
    const resend = { ...original, amounts: { ...original.amounts, cash: '4000.01', total: '11500.01' } };
    resend.amounts.policyScope = resend.amounts.total;
    // A partial refund: the reversal names the settlement and carries smaller amounts.
    const refund = {
      ...claim({ personId: person, cash: '1000.00', type: 'reversal', reversedClaimId: original.claimId }),
      claimId: `${original.claimId}-R`,
    };
    for (const body of [kept, original, resend, refund]) {
      const res = await ingest.post('/v1/claims', body, tokens.ruijin);
      expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
    }

    const reversal = await waitFor(
      'the reversal processed',
      async () => {
        const res = await get(refund.claimId, person);
        return res.status === 200 ? await res.json() : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const month = original.serviceDate.slice(0, 7);
    expect(reversal).toEqual({
      claimId: refund.claimId,
      type: 'reversal',
      status: 'reversal-counted',
      month,
      duplicateDelivered: false,
      codes: ['REVERSAL_MISMATCH'],
    });
    expect(await (await get(original.claimId, person)).json()).toEqual({
      claimId: original.claimId,
      type: 'settlement',
      status: 'reversed',
      month,
      duplicateDelivered: false,
      codes: ['CLAIM_CONFLICT', 'REVERSAL_MISMATCH'],
    });
    expect(await (await get(kept.claimId, person)).json()).toMatchObject({ status: 'counted', codes: [] });

    // Sent again unchanged: a duplicate, said so.
    await ingest.post('/v1/claims', kept, tokens.ruijin);
    await waitFor(
      'the duplicate recorded',
      async () =>
        ((await (await get(kept.claimId, person)).json()) as { duplicateDelivered: boolean }).duplicateDelivered,
    );

    // Another institution's token, another person, an unknown id: the same 404.
    const notFound = { code: 'CLAIM_NOT_FOUND', message: expect.any(String), retriable: true };
    for (const res of [
      await get(original.claimId, person, tokens.other),
      await get(original.claimId, residentId(5)),
      await get('H31011000012-never-sent', person),
    ]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual(notFound);
    }
    const missing = await get(original.claimId, null);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { code: string }).code).toBe('PERSON_ID_REQUIRED');
    expect((await get(original.claimId, 'not-an-id')).status).toBe(400);
    expect((await fetch(`${ingest.url}/v1/claims/${original.claimId}`)).status).toBe(401);

    // The identity number never reaches a log line.
    expect(ingest.service.output()).not.toContain(person);
    expect(accumulator.output()).not.toContain(person);
  });
});
