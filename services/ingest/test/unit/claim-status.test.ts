// The claim status route's own logic: who the headers name, and that the identity number in them never
// reaches a log line.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../src/auth.ts';
import { personFromHeaders } from '../../src/claim-status.ts';
import { buildHttp } from '../../src/http.ts';
import { createIntake } from '../../src/intake.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createPseudonymiser } from '../../src/pseudonym.ts';
import { residentId } from '@warnline/test';
import { redactedLogCapture } from '../support/redacted-log.ts';

const pseudonymise = createPseudonymiser('unit-test-pseudonym-key-0123456789abcdef');

describe('claim status: the person of a request', () => {
  it('pseudonymises the X-Person-Id header as ingest pseudonymises claims', () => {
    const id = residentId(27);
    expect(personFromHeaders({ 'x-person-id': id }, pseudonymise)).toBe(pseudonymise(id, 'resident'));
    expect(personFromHeaders({ 'x-person-id': id.toLowerCase() }, pseudonymise)).toBe(pseudonymise(id, 'resident'));
    expect(personFromHeaders({ 'x-person-id': 'E12345678', 'x-person-id-type': 'passport' }, pseudonymise)).toBe(
      pseudonymise('E12345678', 'passport'),
    );
  });

  it('names nobody when the header is missing, malformed or of an unknown type', () => {
    expect(personFromHeaders({}, pseudonymise)).toBeNull();
    expect(personFromHeaders({ 'x-person-id': 'E12345678' }, pseudonymise)).toBeNull();
    expect(
      personFromHeaders({ 'x-person-id': residentId(27), 'x-person-id-type': 'resident' }, pseudonymise),
    ).toBeNull();
    expect(personFromHeaders({ 'x-person-id': 'a b', 'x-person-id-type': 'other' }, pseudonymise)).toBeNull();
  });

  it('redacts X-Person-Id from log lines', () => {
    const { log, lines } = redactedLogCapture();
    const id = residentId(28);
    log.info({ req: { headers: { 'x-person-id': id } } }, 'a');
    log.info({ headers: { 'x-person-id': id } }, 'b');
    log.info({ request: { headers: { 'x-person-id': id } } }, 'c');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain(id);
  });
});

describe('claim status route without the accumulator Redis', () => {
  it('answers 503 STATUS_UNAVAILABLE to a hospital, 403 to a registry token, 401 without a token', async () => {
    const tokens = { hospital: 'hospital-token-0123456789abcdef', registry: 'registry-token-0123456789abcdef' };
    const app = buildHttp({
      logger: pino({ level: 'silent' }),
      publisher: { write: async () => undefined },
      intake: createIntake({ pseudonymise, retentionMonths: 14 }),
      authenticator: createAuthenticator([
        { name: 'ruijin', token: tokens.hospital, role: 'hospital', institutions: ['H31011000012'] },
        { name: 'registry', token: tokens.registry, role: 'registry' },
      ]),
      metrics: createMetrics(),
      maxBatch: 10,
      bodyLimit: 65536,
      claimStatus: { redis: null, prefix: 'wl', pseudonymise },
    });
    try {
      const get = (token?: string) =>
        app.inject({
          method: 'GET',
          url: '/v1/claims/H31011000012-1',
          headers: { 'x-person-id': residentId(29), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        });
      const down = await get(tokens.hospital);
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ code: 'STATUS_UNAVAILABLE' });
      expect(down.headers['retry-after']).toBe('5');
      expect((await get(tokens.registry)).statusCode).toBe(403);
      expect((await get()).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});
