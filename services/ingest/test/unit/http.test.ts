// The HTTP API in-process (fastify inject), with a recording publisher: status codes and bodies.
import { afterEach, describe, expect, it } from 'vitest';
import { claim, household } from '@warnline/test';
import { bearer, harness, TOKENS, type Harness } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.app.close());

const post = (url: string, token: string | null, body: unknown, headers: Record<string, string> = {}) =>
  h.app.inject({
    method: 'POST',
    url,
    headers: { ...(token ? bearer(token) : { 'content-type': 'application/json' }), ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('POST /v1/claims', () => {
  it('answers 202 with per-item results and writes events and dead letters together', async () => {
    h = harness();
    const good = claim();
    const bad = { ...claim(), visitType: 'dental' };
    const res = await post('/v1/claims', TOKENS.hospital, [good, bad]);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      accepted: 1,
      rejected: [
        {
          index: 1,
          claimId: bad.claimId,
          code: 'INVALID_ENUM',
          field: 'visitType',
          message: expect.any(String),
          problems: [expect.objectContaining({ code: 'INVALID_ENUM' })],
        },
      ],
    });
    expect(h.written).toHaveLength(1);
    expect(h.written[0]!.claims).toHaveLength(1);
    expect(h.written[0]!.claimDeadLetters.map((d) => d.code)).toEqual(['INVALID_ENUM']);
  });

  it('refuses claims of another institution item by item, keeping the rest', async () => {
    h = harness();
    const other = { ...claim(), institution: { code: 'H99999999999', level: 2 } };
    const res = await post('/v1/claims', TOKENS.hospital, [claim(), other]);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({
      accepted: 1,
      rejected: [{ index: 1, code: 'FORBIDDEN_INSTITUTION', field: 'institution.code' }],
    });
    expect(h.written[0]!.claimDeadLetters[0]).toMatchObject({
      code: 'FORBIDDEN_INSTITUTION',
      principal: 'ruijin',
      institution: 'H99999999999',
    });
    expect((await post('/v1/claims', TOKENS.anyHospital, [other])).json()).toMatchObject({ accepted: 1 });
  });

  it('answers 401 without a valid token and 403 for the wrong role, before reading the body', async () => {
    h = harness();
    for (const res of [
      await post('/v1/claims', null, claim()),
      await post('/v1/claims', 'not-a-known-token-0123456789', claim()),
    ]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ code: 'UNAUTHENTICATED', message: expect.any(String), retriable: false });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect((await post('/v1/claims', TOKENS.registry, claim())).json()).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect((await post('/v1/households', TOKENS.hospital, household())).statusCode).toBe(403);
    expect((await post('/v1/claims', TOKENS.registry, '{not json')).statusCode).toBe(403);
    expect(h.written).toHaveLength(0);
  });

  it('answers 400 INVALID_JSON for a body that is not JSON, without echoing it', async () => {
    h = harness();
    for (const body of ['{"personId": "11010519491231002X",', '', 'null x']) {
      const res = await post('/v1/claims', TOKENS.hospital, body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code: 'INVALID_JSON', message: expect.any(String), retriable: false });
      expect(res.body).not.toContain('11010519491231002X');
    }
  });

  it('answers 413 above the body limit or the batch limit, 415 for other content types', async () => {
    h = harness({ maxBatch: 3, bodyLimit: 4096 });
    const big = await post('/v1/claims', TOKENS.hospital, [{ ...claim(), pad: 'x'.repeat(5000) }]);
    expect([big.statusCode, big.json().code]).toEqual([413, 'BODY_TOO_LARGE']);
    const many = await post('/v1/claims', TOKENS.hospital, [claim(), claim(), claim(), claim()]);
    expect([many.statusCode, many.json().code]).toEqual([413, 'BATCH_TOO_LARGE']);
    const text = await post('/v1/claims', TOKENS.hospital, JSON.stringify(claim()), { 'content-type': 'text/plain' });
    expect([text.statusCode, text.json().code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('answers 503 KAFKA_UNAVAILABLE when the write fails, and counts nothing', async () => {
    h = harness();
    h.failWrites(true);
    const res = await post('/v1/claims', TOKENS.hospital, [claim()]);
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('KAFKA_UNAVAILABLE');
    expect(res.headers['retry-after']).toBe('5');
    expect(await h.metrics.registry.getSingleMetricAsString('ingest_claims_accepted_total')).not.toMatch(
      /ingest_claims_accepted_total\{/,
    );
    h.failWrites(false);
    expect((await post('/v1/claims', TOKENS.hospital, [claim()])).statusCode).toBe(202);
  });

  it('drops a __proto__ key instead of failing the batch', async () => {
    h = harness();
    const res = await post(
      '/v1/claims',
      TOKENS.hospital,
      `[${JSON.stringify(claim()).slice(0, -1)},"__proto__":{"x":1}}]`,
    );
    expect(res.statusCode).toBe(202);
    expect(res.json().accepted).toBe(1);
  });
});

describe('POST /v1/households and /metrics', () => {
  it('accepts households with a registry token and reports householdId on rejections', async () => {
    h = harness();
    const res = await post('/v1/households', TOKENS.registry, [
      household(),
      { ...household({ householdId: 'HH2' }), version: 'x' },
    ]);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({
      accepted: 1,
      rejected: [{ index: 1, householdId: 'HH2', code: 'WRONG_TYPE', field: 'version' }],
    });
  });

  it('exposes counters by code and institution level, and a latency histogram', async () => {
    h = harness();
    await post('/v1/claims', TOKENS.hospital, [claim(), { ...claim(), amounts: { ...claim().amounts, cash: '1.00' } }]);
    const text = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('ingest_claims_accepted_total{source="http",institution_level="3"} 1');
    expect(text).toContain(
      'ingest_claims_rejected_total{source="http",code="AMOUNT_IDENTITY",institution_level="3"} 1',
    );
    expect(text).toMatch(
      /ingest_http_request_duration_seconds_count\{route="\/v1\/claims",method="POST",status="202"\} 1/,
    );
  });
});
