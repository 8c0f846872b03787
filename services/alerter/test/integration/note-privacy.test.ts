// A caseworker's note is free text, and caseworkers copy identity numbers into it ("户主 310115…"). The
// raw number must not travel on: it is masked before the note is stored, so neither the API, the history,
// Redis, alerts.audit.v1 nor the charity referral ever holds it. Everything else in the note stays.
import { beforeAll, describe, expect, it } from 'vitest';
import { CHARITY_QUEUE, CharityReferralJobDataSchema } from '@warnline/contracts';
import { residentId, waitFor } from '@warnline/test';
import { STREET_A, TOKENS, alertData, alertIdOf, call, auditedAlerterForFile } from './support.ts';

// Three people's numbers, written the ways people write them: plain with a lower-case check character,
// grouped with spaces, in full-width digits (a Chinese input method's default).
const PLAIN = residentId(41);
const GROUPED = residentId(42);
const WIDE = residentId(43);
const lowerX = (id: string) => id.replace('X', 'x');
const grouped = (id: string) => `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`;
const fullWidth = (id: string) => id.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const RAW = [PLAIN, GROUPED, WIDE];

/** Every way a raw number could still be found in a text: as written, without spaces, in ASCII. */
function holdsRawNumber(text: string): string[] {
  const ascii = text.replace(/[０-９Ｘｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const squeezed = ascii.replace(/[\s-]/g, '').toUpperCase();
  return RAW.filter((id) => squeezed.includes(id) || squeezed.includes(id.slice(0, 17)));
}

describe('alerter: identity numbers in caseworkers’ notes', () => {
  const s = auditedAlerterForFile();
  let alertId: string;
  const token = TOKENS.streetA.token;
  const notes = {
    acknowledged: `户主身份证 ${lowerX(PLAIN)}，电话 13800138000`,
    investigating: `配偶 ${grouped(GROUPED)} 住院中；见结算单 H31011000012-20240315-000123`,
    closed: `已转介慈善会，子女证号${fullWidth(WIDE)}。`,
  };

  beforeAll(async () => {
    const data = alertData({ level: 'action' });
    await s.producer.raise(data);
    alertId = await alertIdOf(s.alerter, STREET_A, data.householdId);
    for (const [to, note] of Object.entries(notes)) {
      const body = to === 'closed' ? { to, note, outcome: 'charity-referred' } : { to, note };
      const answer = await call<{ note: string }>(s.alerter, 'POST', `/v1/alerts/${alertId}/transitions`, token, body);
      expect(answer.status).toBe(200);
      expect(holdsRawNumber(answer.body.note)).toEqual([]);
    }
  });

  it('answers the alert and its history with the numbers masked and the rest of the note kept', async () => {
    const alert = await call<{ note: string }>(s.alerter, 'GET', `/v1/alerts/${alertId}`, token);
    expect(alert.body.note).toBe('已转介慈善会，子女证号<18 chars masked>。');
    const history = await call<{ history: { action: string; note: string | null }[] }>(
      s.alerter,
      'GET',
      `/v1/alerts/${alertId}/history`,
      token,
    );
    const byAction = Object.fromEntries(history.body.history.map((e) => [e.action, e.note]));
    expect(byAction).toMatchObject({
      acknowledged: '户主身份证 <18 chars masked>，电话 13800138000',
      investigating: '配偶 <18 chars masked> 住院中；见结算单 H31011000012-20240315-000123',
      closed: '已转介慈善会，子女证号<18 chars masked>。',
    });
    expect(holdsRawNumber(JSON.stringify(history.body))).toEqual([]);
  });

  it('puts only masked notes on alerts.audit.v1', async () => {
    const events = await waitFor('all four events audited', () =>
      s.audit.of(alertId).length === 4 ? s.audit.of(alertId) : undefined,
    );
    expect(events.map((e) => e.action)).toEqual(['opened', 'acknowledged', 'investigating', 'closed']);
    expect(events.every((e) => e.note === null || e.note.includes('<18 chars masked>'))).toBe(true);
    expect(holdsRawNumber(JSON.stringify(events))).toEqual([]);
  });

  it('keeps no raw number in Redis, the charity referral included', async () => {
    const referral = await waitFor(
      'the charity referral',
      async () => (await s.producer.queue(CHARITY_QUEUE).getJob(alertId))?.data,
    );
    expect(CharityReferralJobDataSchema.parse(referral).reasons.note).toBe('已转介慈善会，子女证号<18 chars masked>。');
    const found: string[] = [];
    for (const prefix of [s.env.redisPrefix, s.env.queuePrefix]) {
      let cursor = '0';
      do {
        const [next, keys] = await s.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) {
          const type = await s.redis.type(key);
          const dump =
            type === 'hash'
              ? JSON.stringify(await s.redis.hgetall(key))
              : type === 'list'
                ? JSON.stringify(await s.redis.lrange(key, 0, -1))
                : type === 'string'
                  ? ((await s.redis.get(key)) ?? '')
                  : type === 'zset'
                    ? JSON.stringify(await s.redis.zrange(key, 0, -1))
                    : type === 'stream'
                      ? JSON.stringify(await s.redis.xrange(key, '-', '+'))
                      : '';
          if (holdsRawNumber(dump).length > 0) found.push(key);
        }
      } while (cursor !== '0');
    }
    expect(found).toEqual([]);
  });
});
