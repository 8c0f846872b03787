// The caseworker's closed loop on real Redis, BullMQ and Kafka: an alert job from the accumulator becomes an
// alert, a caseworker acknowledges, investigates (摸排) and closes it by class (分类处置), a charity referral
// (慈善推介) reaches referrals.charity, and every step is in the history and on alerts.audit.v1.
import { describe, expect, it } from 'vitest';
import {
  CHARITY_QUEUE,
  CharityReferralJobDataSchema,
  alertJobId,
  districtQueueName,
  streetQueueName,
  type AlertAuditEvent,
} from '@warnline/contracts';
import { waitFor } from '@warnline/test';
import { createKeys } from '../../src/keys.ts';
import { STREET_A, TOKENS, alertData, alertIdOf, call, auditedAlerterForFile } from './support.ts';

describe('alerter: the closed loop', () => {
  const s = auditedAlerterForFile({
    extra: { ALERTER_DISCOVERY_INTERVAL_MS: '300' },
    afterClose: ({ alerter }) => {
      for (const t of Object.values(TOKENS)) expect(alerter.output()).not.toContain(t.token);
    },
  });
  const token = TOKENS.streetA.token;

  const transition = (alertId: string, body: Record<string, unknown>, t = token) =>
    call(s.alerter, 'POST', `/v1/alerts/${alertId}/transitions`, t, body);

  it('takes one household from alert to close, with history and s.audit trail', async () => {
    const data = alertData({
      level: 'action',
      findings: [
        { code: 'EXPENDITURE_POVERTY_2', citation: '沪府办规〔2022〕19号 四', message: 'expenditure-type poverty (2)' },
      ],
    });
    const jobId = await s.producer.raise(data);
    const alertId = await alertIdOf(s.alerter, STREET_A, data.householdId);
    expect(alertId).toMatch(/^310113103-\d{6}$/);

    // The street's queue job is completed and names the alert (how a street system follows the queue).
    const job = await waitFor('street job completed', async () => {
      const j = await s.producer.queue(streetQueueName(STREET_A)).getJob(jobId);
      return (await j?.isCompleted()) ? j : undefined;
    });
    expect(job.returnvalue).toEqual({ alertId, result: 'opened' });

    const shown = await call(s.alerter, 'GET', `/v1/alerts/${alertId}`, token);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      alertId,
      householdId: data.householdId,
      streetCode: STREET_A,
      districtCode: '310113',
      state: 'new',
      level: 'action',
      next: ['acknowledged'],
      overdue: { acknowledge: null, close: null },
      jobs: 1,
      decision: {
        findings: data.findings,
        burden12m: '26000.00',
        income: '60000.00',
        burdenRatio: '0.4333',
        window: data.window,
        assistance: data.assistance,
        ruleSet: data.ruleSet,
      },
    });

    expect((await transition(alertId, { to: 'acknowledged', note: '电话联系户主' })).body).toMatchObject({
      state: 'acknowledged',
      next: ['investigating'],
    });
    expect((await transition(alertId, { to: 'investigating', note: '入户摸排' })).body).toMatchObject({
      state: 'investigating',
    });
    const closed = await transition(alertId, {
      to: 'closed',
      outcome: 'assistance-granted',
      note: '支出型贫困二类，已纳入医疗救助',
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed', outcome: 'assistance-granted', next: [] });

    const listedClosed = await call<{ alerts: { alertId: string }[] }>(
      s.alerter,
      'GET',
      `/v1/streets/${STREET_A}/alerts?state=closed`,
      token,
    );
    expect(listedClosed.body.alerts.map((a) => a.alertId)).toContain(alertId);
    const listedNew = await call<{ alerts: { alertId: string }[] }>(
      s.alerter,
      'GET',
      `/v1/streets/${STREET_A}/alerts?state=new`,
      token,
    );
    expect(listedNew.body.alerts.map((a) => a.alertId)).not.toContain(alertId);

    const history = await call<{ history: AlertAuditEvent[] }>(
      s.alerter,
      'GET',
      `/v1/alerts/${alertId}/history`,
      token,
    );
    const steps = history.body.history.map((e) => [e.seq, e.action, e.actor.name, e.from, e.to, e.note]);
    expect(steps).toEqual([
      [1, 'opened', 'alerter', null, 'new', null],
      [2, 'acknowledged', 'st-a', 'new', 'acknowledged', '电话联系户主'],
      [3, 'investigating', 'st-a', 'acknowledged', 'investigating', '入户摸排'],
      [4, 'closed', 'st-a', 'investigating', 'closed', '支出型贫困二类，已纳入医疗救助'],
    ]);
    for (const e of history.body.history) expect(Date.parse(e.at)).not.toBeNaN();

    // The audit topic holds the same events (acks -1), readable by anyone auditing the street office.
    const audited = await waitFor('four s.audit events', () =>
      s.audit.of(alertId).length === 4 ? s.audit.of(alertId) : undefined,
    );
    expect(audited).toEqual(history.body.history);

    const metrics = await call(s.alerter, 'GET', '/metrics');
    expect(String(metrics.body)).toMatch(/warnline_alert_time_to_acknowledge_seconds_count\{level="action"\} [1-9]/);
    expect(String(metrics.body)).toMatch(/warnline_alert_time_to_close_seconds_count\{level="action"\} [1-9]/);
    expect(String(metrics.body)).not.toContain(data.householdId);
  });

  it('folds a higher level into the open alert instead of opening a second one, and says so in the history', async () => {
    const watch = alertData({ level: 'watch' });
    await s.producer.raise(watch);
    const alertId = await alertIdOf(s.alerter, STREET_A, watch.householdId);
    expect((await transition(alertId, { to: 'acknowledged' })).status).toBe(200);

    const action = {
      ...watch,
      level: 'action' as const,
      burden12m: '41000.00',
      findings: [{ code: 'EXPENDITURE_POVERTY_1', citation: '沪府办规〔2022〕19号 四', message: 'x' }],
    };
    await s.producer.raise(action);
    const raised = await waitFor('level raised', async () => {
      const r = await call<{ level: string; jobs: number; state: string; decision: { burden12m: string } }>(
        s.alerter,
        'GET',
        `/v1/alerts/${alertId}`,
        token,
      );
      return r.body.level === 'action' ? r.body : undefined;
    });
    expect(raised).toMatchObject({ state: 'acknowledged', jobs: 2, decision: { burden12m: '41000.00' } });

    // A lower level later (a new window month) is absorbed: no new alert, level kept.
    await s.producer.raise({ ...watch, window: { from: '2023-08', to: '2024-07' } });
    await waitFor(
      're-raise recorded',
      async () => (await call<{ jobs: number }>(s.alerter, 'GET', `/v1/alerts/${alertId}`, token)).body.jobs === 3,
    );
    const history = await call<{ history: AlertAuditEvent[] }>(
      s.alerter,
      'GET',
      `/v1/alerts/${alertId}/history`,
      token,
    );
    expect(history.body.history.map((e) => [e.action, e.level, e.previousLevel])).toEqual([
      ['opened', 'watch', null],
      ['acknowledged', 'watch', null],
      ['level-raised', 'action', 'watch'],
      ['re-raised', 'action', null],
    ]);
    const open = await call<{ alerts: { householdId: string }[] }>(
      s.alerter,
      'GET',
      `/v1/streets/${STREET_A}/alerts?state=acknowledged`,
      token,
    );
    expect(open.body.alerts.filter((a) => a.householdId === watch.householdId)).toHaveLength(1);

    // Once closed, a new rise opens a new alert (a new episode).
    await transition(alertId, { to: 'investigating' });
    await transition(alertId, { to: 'closed', outcome: 'not-eligible', note: '核实后收入超标' });
    await s.producer.raise({ ...watch, level: 'warning', window: { from: '2023-09', to: '2024-08' } });
    const second = await alertIdOf(s.alerter, STREET_A, watch.householdId);
    expect(second).not.toBe(alertId);
  });

  it('records a redelivered job once, even after BullMQ forgot its id', async () => {
    const data = alertData();
    const jobId = await s.producer.raise(data);
    const alertId = await alertIdOf(s.alerter, STREET_A, data.householdId);
    const queue = s.producer.queue(streetQueueName(STREET_A));
    await waitFor('job completed', async () => (await (await queue.getJob(jobId))?.isCompleted()) ?? false);

    // Same decision again: BullMQ keeps the completed job, so the add is a no-op.
    await s.producer.raise(data);
    expect(await queue.getJob(jobId)).toMatchObject({ returnvalue: { alertId, result: 'opened' } });

    // An operator removed the job (retention): the re-added job is delivered, and the store says duplicate.
    await (await queue.getJob(jobId))!.remove();
    await s.producer.raise(data);
    const again = await waitFor('redelivered job completed', async () => {
      const j = await queue.getJob(jobId);
      return (await j?.isCompleted()) ? j : undefined;
    });
    expect(again.returnvalue).toEqual({ alertId, result: 'duplicate' });
    const shown = await call<{ jobs: number }>(s.alerter, 'GET', `/v1/alerts/${alertId}`, token);
    expect(shown.body.jobs).toBe(1);
    expect(jobId).toBe(alertJobId(data.householdId, data.level, data.window.to));
  });

  it('refuses invalid transitions with 409 and a stable code, and checks bodies', async () => {
    const data = alertData();
    await s.producer.raise(data);
    const alertId = await alertIdOf(s.alerter, STREET_A, data.householdId);

    const skip = await transition(alertId, { to: 'investigating' });
    expect(skip.status).toBe(409);
    expect(skip.body).toMatchObject({
      code: 'INVALID_TRANSITION',
      state: 'new',
      to: 'investigating',
      allowed: ['acknowledged'],
      retriable: false,
    });
    expect((await transition(alertId, { to: 'closed', outcome: 'duplicate', note: 'x' })).body).toMatchObject({
      code: 'INVALID_TRANSITION',
      state: 'new',
    });

    expect((await transition(alertId, { to: 'acknowledged' })).status).toBe(200);
    const twice = await transition(alertId, { to: 'acknowledged' });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'INVALID_TRANSITION', state: 'acknowledged', allowed: ['investigating'] });

    expect((await transition(alertId, { to: 'investigating', outcome: 'duplicate' })).body).toMatchObject({
      code: 'OUTCOME_NOT_ALLOWED',
    });
    await transition(alertId, { to: 'investigating' });
    expect((await transition(alertId, { to: 'closed', note: 'no outcome' })).body).toMatchObject({
      code: 'OUTCOME_REQUIRED',
    });
    expect((await transition(alertId, { to: 'closed', outcome: 'unreachable' })).body).toMatchObject({
      code: 'OUTCOME_REQUIRED',
    });
    expect((await transition(alertId, { to: 'closed', outcome: 'rich-now', note: 'x' })).body).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect((await transition(alertId, { to: 'new' })).body).toMatchObject({ code: 'BAD_REQUEST' });
    expect((await transition(alertId, { to: 'closed', outcome: 'unreachable', note: '三次上门未遇' })).status).toBe(
      200,
    );
    const reopened = await transition(alertId, { to: 'acknowledged' });
    expect(reopened.status).toBe(409);
    expect(reopened.body).toMatchObject({ code: 'INVALID_TRANSITION', state: 'closed', allowed: [] });

    expect((await call(s.alerter, 'GET', `/v1/alerts/${STREET_A}-999999`, token)).body).toMatchObject({
      code: 'NOT_FOUND',
    });
    const history = await call<{ history: AlertAuditEvent[] }>(
      s.alerter,
      'GET',
      `/v1/alerts/${alertId}/history`,
      token,
    );
    expect(history.body.history.map((e) => e.action)).toEqual(['opened', 'acknowledged', 'investigating', 'closed']);
  });

  it('refers a household to charity with the reasons when closed as charity-referred', async () => {
    const data = alertData({
      level: 'warning',
      findings: [
        { code: 'HIGH_BURDEN', citation: '沪府办规〔2022〕19号 二(三)', message: 'heavy burden after insurance' },
        {
          code: 'CHARITY_REFERRAL',
          citation: '沪府办规〔2022〕19号 二(四)1',
          message: 'not eligible; refer to charity',
        },
      ],
    });
    await s.producer.raise(data);
    const alertId = await alertIdOf(s.alerter, STREET_A, data.householdId);
    await transition(alertId, { to: 'acknowledged' });
    await transition(alertId, { to: 'investigating', note: '入户核实' });
    const note = '不符合救助条件，遴选后推介至区慈善基金会';
    expect((await transition(alertId, { to: 'closed', outcome: 'charity-referred', note })).status).toBe(200);

    const charity = s.producer.queue(CHARITY_QUEUE);
    const job = await waitFor('charity referral job', () => charity.getJob(alertId));
    expect(job.name).toBe('referral');
    const referral = CharityReferralJobDataSchema.parse(job.data);
    expect(referral).toMatchObject({
      alertId,
      householdId: data.householdId,
      streetCode: STREET_A,
      districtCode: '310113',
      level: 'warning',
      reasons: { findings: data.findings, note },
      burden12m: data.burden12m,
      income: data.income,
      citation: '沪府办规〔2022〕19号 二(四)1',
      referredBy: 'st-a',
    });
    const closedEvent = await waitFor('closed on the s.audit topic', () =>
      s.audit.of(alertId).find((e) => e.action === 'closed'),
    );
    expect(closedEvent).toMatchObject({ outcome: 'charity-referred', note, actor: { name: 'st-a', role: 'street' } });
  });

  it('finishes side effects that a crash left in the outbox (escalation and s.audit)', async () => {
    const data = alertData({ level: 'action' });
    await s.producer.raise(data);
    const alertId = await alertIdOf(s.alerter, STREET_A, data.householdId);
    await waitFor('opened audited', () => s.audit.of(alertId).length === 1);
    // What the breach script leaves when the process dies right after it: the event in history and outbox,
    // its side effects not done yet. The relay must escalate and audit it.
    const keys = createKeys(s.env.redisPrefix);
    const event = {
      ...s.audit.of(alertId)[0]!,
      eventId: `${alertId}#2`,
      seq: 2,
      at: new Date(Date.now() - 60_000).toISOString(),
      action: 'overdue',
      from: 'new',
      breach: 'acknowledge',
      jobId: null,
    };
    await s.redis.hset(keys.alert(alertId).alert, 'seq', 2, 'overdueAcknowledgeAt', event.at);
    await s.redis.rpush(keys.alert(alertId).history, JSON.stringify(event));
    await s.redis.rpush(keys.street(STREET_A).outbox, JSON.stringify(event));

    const escalation = await waitFor('relay escalated', () =>
      s.producer.queue(districtQueueName('310113')).getJob(`${alertId}|acknowledge`),
    );
    expect(escalation.data).toMatchObject({ alertId, breach: 'acknowledge', level: 'action' });
    await waitFor('relay audited', () => s.audit.of(alertId).length === 2);
    await waitFor('outbox drained', async () => (await s.redis.llen(keys.street(STREET_A).outbox)) === 0);
  });

  it('finds a street queue it was not configured with, and fails a malformed job for good', async () => {
    const street = '310113199';
    const data = alertData({ streetCode: street });
    await s.producer.raise(data);
    const alertId = await alertIdOf(s.alerter, street, data.householdId);
    expect(alertId.startsWith(`${street}-`)).toBe(true);

    const queue = s.producer.queue(streetQueueName(street));
    await queue.add(
      'watch',
      { householdId: 'HHbad', streetCode: street },
      { jobId: 'HHbad|watch|2024-06', removeOnComplete: false, removeOnFail: false },
    );
    const failed = await waitFor('malformed job failed', async () => {
      const j = await queue.getJob('HHbad|watch|2024-06');
      return (await j?.isFailed()) ? j : undefined;
    });
    expect(failed.failedReason).toContain('does not match the alert contract');
    const list = await call<{ alerts: { householdId: string }[] }>(
      s.alerter,
      'GET',
      `/v1/streets/${street}/alerts`,
      TOKENS.admin.token,
    );
    expect(list.body.alerts.map((a) => a.householdId)).toEqual([data.householdId]);
  });
});
