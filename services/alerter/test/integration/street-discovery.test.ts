// A street's first alert ever: its queue did not exist when the alerter started, and the alert must not
// wait for the periodic sweep. The accumulator's own publisher raises it (the announcement it makes is part
// of what is tested); the alerter runs with the default sweep period, so only the announcement can make
// the alert appear within the few seconds allowed here.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { streetQueueName } from '@warnline/contracts';
import { AlertPublisher } from '../../../accumulator/src/alerts.ts';
import { type RunningService, waitFor } from '@warnline/test';
import { TOKENS, alertData, alertIdOf, call, cleanup, startAlerter, testEnv, type TestEnv } from './support.ts';

/** Well under the 30 s sweep, generous for a loaded machine. */
const FIRST_ALERT_WITHIN_MS = 10_000;

describe('alerter: a brand-new street', () => {
  let env: TestEnv;
  let redis: Redis;
  let publisher: AlertPublisher;
  let alerter: RunningService;

  beforeAll(async () => {
    env = testEnv(inject('redisUrl'), inject('kafkaBrokers'));
    redis = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
    publisher = new AlertPublisher(redis, env.queuePrefix);
    // No configured streets, the default sweep period: nothing but the announcement finds a new street.
    alerter = await startAlerter(env, { ALERTER_STREETS: '', ALERTER_DISCOVERY_INTERVAL_MS: '30000' });
  });

  afterAll(async () => {
    const code = await alerter?.stop();
    await publisher?.close();
    await cleanup(redis, env);
    await redis.quit();
    expect(code).toBe(0);
  });

  it('records the first alert of a street that had no queue when the alerter started', async () => {
    const street = '310113109';
    expect(await redis.exists(`${env.queuePrefix}:${streetQueueName(street)}:meta`)).toBe(0);
    const data = alertData({ streetCode: street });
    await publisher.raise(data);
    const alertId = await waitFor(
      'the alert record',
      async () => {
        const r = await call<{ alerts: { alertId: string; householdId: string }[] }>(
          alerter,
          'GET',
          `/v1/streets/${street}/alerts`,
          TOKENS.admin.token,
        );
        return r.body.alerts?.find((a) => a.householdId === data.householdId)?.alertId;
      },
      { timeoutMs: FIRST_ALERT_WITHIN_MS, intervalMs: 100 },
    );
    expect(alertId).toMatch(new RegExp(`^${street}-\\d{6}$`));
  });

  it('picks up, at start, a street announced while it was down', async () => {
    await alerter.stop();
    const street = '310113110';
    const data = alertData({ streetCode: street });
    await publisher.raise(data);
    alerter = await startAlerter(env, { ALERTER_STREETS: '', ALERTER_DISCOVERY_INTERVAL_MS: '0' });
    expect(await alertIdOf(alerter, street, data.householdId)).toMatch(new RegExp(`^${street}-\\d{6}$`));
  });
});
