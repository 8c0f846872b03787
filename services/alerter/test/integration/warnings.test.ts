// The warnings of a decision reach the caseworker: an alert whose job names a stale or unconfirmed yearly
// figure shows it with the decision in the API, and a charity referral passes it on. Real Redis, BullMQ, Kafka.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHARITY_QUEUE, CharityReferralJobDataSchema, type AlertJobData } from '@warnline/contracts';
import { type RunningService, waitFor } from '@warnline/test';
import type { Producer } from './support.ts';
import { STREET_A, TOKENS, alertData, alertIdOf, call, openAlerterStack, type AlerterStack } from './support.ts';

const stale: NonNullable<AlertJobData['warnings']> = [
  {
    code: 'PARAMETER_STALE',
    message:
      '上年度人均可支配收入使用的是 2024 年数据 88366 元 … / uses the 2024 figure; the 2025 figure is not in rule set',
    parameter: { name: 'cityPerCapitaIncome', value: '88366', from: '2025-01-01', year: 2024, confirmed: false },
  },
];

describe('alerter: the warnings of the decision behind an alert', () => {
  let stack: AlerterStack;
  let producer: Producer;
  let alerter: RunningService;
  const token = TOKENS.streetA.token;

  beforeAll(async () => {
    stack = await openAlerterStack();
    ({ producer, alerter } = stack);
  });

  afterAll(async () => {
    expect(await stack?.close()).toBe(0);
  });

  it('shows them with the decision, in the alert and in the street list, and passes them to a charity referral', async () => {
    const data = alertData({ level: 'action', warnings: stale });
    await producer.raise(data);
    const alertId = await alertIdOf(alerter, STREET_A, data.householdId);

    const shown = await call<{ decision: { warnings: unknown } }>(alerter, 'GET', `/v1/alerts/${alertId}`, token);
    expect(shown.status).toBe(200);
    expect(shown.body.decision.warnings).toEqual(stale);
    const listed = await call<{ alerts: { alertId: string; decision: { warnings: unknown } }[] }>(
      alerter,
      'GET',
      `/v1/streets/${STREET_A}/alerts?state=new&limit=500`,
      token,
    );
    expect(listed.body.alerts.find((a) => a.alertId === alertId)?.decision.warnings).toEqual(stale);

    for (const step of [
      { to: 'acknowledged' },
      { to: 'investigating', note: '入户核实' },
      { to: 'closed', outcome: 'charity-referred', note: '推介至区慈善基金会' },
    ]) {
      expect((await call(alerter, 'POST', `/v1/alerts/${alertId}/transitions`, token, step)).status).toBe(200);
    }
    const job = await waitFor('charity referral job', () => producer.queue(CHARITY_QUEUE).getJob(alertId));
    expect(CharityReferralJobDataSchema.parse(job.data).warnings).toEqual(stale);
  });

  it('a job raised before warnings existed shows none', async () => {
    const data = alertData({ level: 'warning' });
    delete data.warnings;
    await producer.raise(data);
    const alertId = await alertIdOf(alerter, STREET_A, data.householdId);
    const shown = await call<{ decision: { warnings: unknown } }>(alerter, 'GET', `/v1/alerts/${alertId}`, token);
    expect(shown.body.decision.warnings).toEqual([]);
  });
});
