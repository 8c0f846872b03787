// The audited reveal, on the real Redis, BullMQ and Kafka with ingest as the identity service: a caseworker
// in scope gets the identity numbers of the alert's members once, stating a purpose that joins the history
// and the audit topic; outside the scope, for an alert closed long ago, past the hourly limit or without a
// purpose the answer is a refusal with its own code. The identity store holds sealed records only, and no
// identity number reaches any other key, the logs or the metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { residentId, waitFor } from '@warnline/test';
import { createKeys } from '../../src/keys.ts';
import {
  STREET_A,
  STREET_B,
  STREET_C,
  TOKENS,
  alertData,
  alertIdOf,
  call,
  openAlerterStack,
  startIdentityIngest,
  type AlerterStack,
} from './support.ts';

interface Revealed {
  alertId: string;
  householdId: string;
  identities: { pseudonym: string; personIdType?: string; personId?: string; code?: string }[];
}
interface History {
  history: { action: string; actor: { name: string; role: string }; purpose?: string }[];
}

const PURPOSE = '入户核查医疗负担，确认家庭成员';
/** Every identity number this file sends to ingest: none may appear anywhere but a reveal's answer. */
const sent: string[] = [];
const identities = (seqs: number[]) => {
  const ids = seqs.map((s) => residentId(s));
  sent.push(...ids);
  return ids;
};

/** Every key under a prefix, a SCAN at a time (the Redis is shared). */
async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

describe('alerter: audited reveal of identities', () => {
  let stack: AlerterStack;
  const reveal = (alertId: string, token: string | undefined, body: unknown = { purpose: PURPOSE }) =>
    call<Revealed & { code?: string }>(stack.alerter, 'POST', `/v1/alerts/${alertId}/reveal`, token, body);

  /** Raises an alert whose members are persons ingest has seen, and returns its id and their numbers. */
  async function alertWithMembers(street: string, seqs: number[]): Promise<{ alertId: string; ids: string[] }> {
    const ids = identities(seqs);
    const members = await stack.ingest!.keep(ids);
    const data = alertData({ streetCode: street, members });
    await stack.producer.raise(data);
    return { alertId: await alertIdOf(stack.alerter, street, data.householdId), ids };
  }

  beforeAll(async () => {
    stack = await openAlerterStack({
      audit: true,
      reveal: true,
      extra: { REVEAL_RATE_LIMIT: '3', REVEAL_CLOSED_MAX_DAYS: '30' },
    });
  });

  afterAll(async () => {
    expect(await stack?.close()).toBe(0);
  });

  it('reveals the members of an alert of its street, once, with the purpose in history and audit', async () => {
    const { alertId, ids } = await alertWithMembers(STREET_A, [601, 602]);
    const res = await fetch(`${stack.alerter.url}/v1/alerts/${alertId}/reveal`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.streetA.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ purpose: PURPOSE }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Revealed;
    expect(body.alertId).toBe(alertId);
    expect(body.identities.map((i) => i.personId).sort()).toEqual([...ids].sort());
    expect(body.identities.every((i) => i.personIdType === 'resident')).toBe(true);

    // The district of the street may reveal it too.
    const byDistrict = await reveal(alertId, TOKENS.district.token);
    expect(byDistrict.status).toBe(200);

    const history = await call<History>(stack.alerter, 'GET', `/v1/alerts/${alertId}/history`, TOKENS.admin.token);
    const reveals = history.body.history.filter((e) => e.action === 'reveal-requested');
    expect(reveals).toMatchObject([
      { actor: { name: 'st-a', role: 'street' }, purpose: PURPOSE },
      { actor: { name: 'qu-310113', role: 'district' }, purpose: PURPOSE },
    ]);
    const audited = await waitFor('both reveals on the audit topic', () => {
      const events = stack.audit!.of(alertId).filter((e) => e.action === 'reveal-requested');
      return events.length === 2 ? events : undefined;
    });
    expect(audited.map((e) => [e.actor.name, e.purpose, e.to])).toEqual([
      ['st-a', PURPOSE, 'new'],
      ['qu-310113', PURPOSE, 'new'],
    ]);
    // The alert itself is unchanged: a reveal is not a transition.
    const alert = await call<{ state: string }>(stack.alerter, 'GET', `/v1/alerts/${alertId}`, TOKENS.streetA.token);
    expect(alert.body.state).toBe('new');
  });

  it('refuses outside the scope, operations tokens, and a request without a purpose, recording nothing', async () => {
    const { alertId } = await alertWithMembers(STREET_A, [611]);
    for (const token of [TOKENS.streetB.token, TOKENS.otherDistrict.token, TOKENS.admin.token]) {
      const answer = await reveal(alertId, token);
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ code: 'FORBIDDEN' });
      expect(answer.body.identities).toBeUndefined();
    }
    for (const body of [{}, { purpose: '  看看 ' }, { purpose: 42 }]) {
      const answer = await reveal(alertId, TOKENS.streetA.token, body);
      expect(answer.status).toBe(400);
    }
    expect((await reveal(alertId, TOKENS.streetA.token, { purpose: 'x' })).body).toMatchObject({
      code: 'PURPOSE_REQUIRED',
    });
    expect((await reveal(alertId, undefined)).status).toBe(401);
    const history = await call<History>(stack.alerter, 'GET', `/v1/alerts/${alertId}/history`, TOKENS.admin.token);
    expect(history.body.history.map((e) => e.action)).toEqual(['opened']);
  });

  it('refuses an alert closed longer ago than REVEAL_CLOSED_MAX_DAYS', async () => {
    const { alertId } = await alertWithMembers(STREET_A, [621]);
    for (const step of [
      { to: 'acknowledged' },
      { to: 'investigating' },
      { to: 'closed', outcome: 'not-eligible', note: '入户核查：不符合条件' },
    ]) {
      expect(
        (await call(stack.alerter, 'POST', `/v1/alerts/${alertId}/transitions`, TOKENS.district.token, step)).status,
      ).toBe(200);
    }
    // Closed moments ago: still within the limit.
    expect((await reveal(alertId, TOKENS.district.token)).status).toBe(200);
    // The same alert as it will be 31 days on: its closing moved back in time.
    const key = createKeys(stack.env.redisPrefix).alert(alertId).alert;
    await stack.redis.hset(key, 'closedAt', new Date(Date.now() - 31 * 86_400_000).toISOString());
    const refused = await reveal(alertId, TOKENS.district.token);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'REVEAL_CLOSED_TOO_LONG', retriable: false });
  });

  it('answers 429 with Retry-After past the hourly limit of a token', async () => {
    const { alertId } = await alertWithMembers(STREET_B, [631]);
    for (let i = 0; i < 3; i++) expect((await reveal(alertId, TOKENS.streetB.token)).status).toBe(200);
    const res = await fetch(`${stack.alerter.url}/v1/alerts/${alertId}/reveal`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.streetB.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ purpose: PURPOSE }),
    });
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ code: 'REVEAL_RATE_LIMITED', retriable: true });
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // The limit is per token: the district still may.
    expect((await reveal(alertId, TOKENS.district.token)).status).toBe(200);
  });

  it('still opens records sealed under a key that is no longer the current one', async () => {
    // An ingest that sealed with k1 (before the rotation), on the same identity store.
    const before = await startIdentityIngest(stack.env, { identityPrefix: stack.ingest!.identityPrefix, keyId: 'k1' });
    const ids = identities([641]);
    const members = await before.keep(ids);
    expect(await before.service.stop()).toBe(0);
    const sealed = await stack.redis.get(`${stack.ingest!.identityPrefix}:identity:${members[0]}`);
    expect(sealed?.startsWith('k1.')).toBe(true);

    const data = alertData({ streetCode: STREET_C, members });
    await stack.producer.raise(data);
    const alertId = await alertIdOf(stack.alerter, STREET_C, data.householdId);
    // The identity service now seals with k2 and still lists k1.
    const answer = await reveal(alertId, TOKENS.otherDistrict.token);
    expect(answer.status).toBe(200);
    expect(answer.body.identities).toEqual([{ pseudonym: members[0], personIdType: 'resident', personId: ids[0] }]);
  });

  it('keeps only sealed identities in Redis, and no identity number in any other key, log or metric', async () => {
    const prefixes = [stack.env.redisPrefix, stack.env.queuePrefix, stack.ingest!.identityPrefix];
    const dump: string[] = [];
    for (const prefix of prefixes) {
      for (const key of await keysUnder(stack.redis, prefix)) {
        const type = await stack.redis.type(key);
        const value =
          type === 'string'
            ? await stack.redis.get(key)
            : type === 'hash'
              ? JSON.stringify(await stack.redis.hgetall(key))
              : type === 'list'
                ? JSON.stringify(await stack.redis.lrange(key, 0, -1))
                : type === 'zset'
                  ? JSON.stringify(await stack.redis.zrange(key, 0, -1))
                  : type === 'set'
                    ? JSON.stringify(await stack.redis.smembers(key))
                    : '';
        dump.push(`${key}\n${value}`);
        if (key.startsWith(`${stack.ingest!.identityPrefix}:identity:`))
          expect(value).toMatch(/^k[12]\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
      }
    }
    const identityRecords = dump.filter((d) => d.startsWith(`${stack.ingest!.identityPrefix}:identity:`));
    expect(identityRecords.length).toBeGreaterThanOrEqual(sent.length);
    const metrics = await call<string>(stack.alerter, 'GET', '/metrics');
    const outputs = {
      redis: dump.join('\n'),
      alerterLog: stack.alerter.output(),
      ingestLog: stack.ingest!.service.output(),
      metrics: metrics.body,
      audit: JSON.stringify(stack.audit!.events),
    };
    for (const [where, text] of Object.entries(outputs)) {
      for (const id of sent) expect(text.includes(id), `${id} found in ${where}`).toBe(false);
    }
    expect(stack.alerter.output()).toContain('identities revealed');
  });

  it('answers 503 REVEAL_UNAVAILABLE while ingest is away, having recorded the request', async () => {
    const { alertId } = await alertWithMembers(STREET_C, [651]);
    expect(await stack.ingest!.service.stop()).toBe(0);
    const answer = await reveal(alertId, TOKENS.otherDistrict.token);
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ code: 'REVEAL_UNAVAILABLE', retriable: true });
    const history = await call<History>(stack.alerter, 'GET', `/v1/alerts/${alertId}/history`, TOKENS.admin.token);
    expect(history.body.history.map((e) => e.action)).toEqual(['opened', 'reveal-requested']);
  });
});
