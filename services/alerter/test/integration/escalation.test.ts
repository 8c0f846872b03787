// Time limits (48 h to acknowledge, 15 days to close; seconds here): a breach marks the alert overdue and
// escalates it to alerts.district.<district>. Timers are delayed BullMQ jobs, so they fire after the
// alerter crashed and restarted mid-wait, and after Redis restarted from its AOF.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedisServer } from '@warnline/infra';
import { EscalationJobDataSchema, districtQueueName, type AlertAuditEvent } from '@warnline/contracts';
import { type RunningService, waitFor } from '@warnline/test';
import {
  AuditReader,
  Producer,
  STREET_A,
  TOKENS,
  alertData,
  alertIdOf,
  call,
  cleanup,
  startAlerter,
  testEnv,
  type TestEnv,
} from './support.ts';

const TIMER_QUEUE = 'alerter.timers';
const token = TOKENS.streetA.token;

describe('alerter: time limits and escalation', () => {
  let env: TestEnv;
  let redis: Redis;
  let producer: Producer;
  let audit: AuditReader;
  const running: RunningService[] = [];

  beforeAll(async () => {
    env = testEnv(inject('redisUrl'), inject('kafkaBrokers'));
    redis = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
    producer = new Producer(redis, env.queuePrefix);
  });

  afterEach(async () => {
    for (const s of running.splice(0)) expect(await s.stop()).toBe(0);
    await audit?.stop();
  });

  afterAll(async () => {
    await producer.close();
    await cleanup(redis, env);
    await redis.quit();
  });

  const district = () => producer.queue(districtQueueName('310113'));
  const timerResult = async (id: string) =>
    (await producer.queue(TIMER_QUEUE).getJob(id))?.returnvalue as { result: string } | undefined;

  it('escalates a breach of either limit to the district, marks the alert overdue, and leaves in-time alerts alone', async () => {
    const alerter = await startAlerter(env, { ALERT_ACK_WITHIN_SECONDS: '2', ALERT_CLOSE_WITHIN_SECONDS: '5' });
    running.push(alerter);
    audit = new AuditReader(env);
    await audit.start();
    const late = alertData({ level: 'action' });
    const acked = alertData({ level: 'watch' });
    const done = alertData({ level: 'warning' });
    for (const d of [late, acked, done]) await producer.raise(d);
    const [lateId, ackedId, doneId] = await Promise.all(
      [late, acked, done].map((d) => alertIdOf(alerter, STREET_A, d.householdId)),
    );
    const move = (id: string, body: Record<string, unknown>) =>
      call(alerter, 'POST', `/v1/alerts/${id}/transitions`, token, body);
    await move(ackedId!, { to: 'acknowledged' });
    await move(doneId!, { to: 'acknowledged' });
    await move(doneId!, { to: 'investigating' });
    await move(doneId!, { to: 'closed', outcome: 'temporary-assistance', note: '临时救助已发放' });

    const escalation = await waitFor('acknowledge breach escalated', () => district().getJob(`${lateId}|acknowledge`), {
      timeoutMs: 20_000,
    });
    expect(escalation.name).toBe('action');
    expect(escalation.priority).toBe(1);
    expect(EscalationJobDataSchema.parse(escalation.data)).toMatchObject({
      alertId: lateId,
      householdId: late.householdId,
      streetCode: STREET_A,
      districtCode: '310113',
      breach: 'acknowledge',
      state: 'new',
    });
    const shown = await call<{ overdue: { acknowledge: string | null } }>(
      alerter,
      'GET',
      `/v1/alerts/${lateId}`,
      token,
    );
    expect(shown.body.overdue.acknowledge).not.toBeNull();
    const overdueList = await call<{ alerts: { alertId: string }[] }>(
      alerter,
      'GET',
      `/v1/streets/${STREET_A}/alerts?state=overdue`,
      token,
    );
    expect(overdueList.body.alerts.map((a) => a.alertId)).toContain(lateId);

    // The acknowledged alert breaches only the close limit; the closed one breaches nothing.
    await waitFor('close breach escalated', () => district().getJob(`${ackedId}|close`), { timeoutMs: 20_000 });
    await waitFor('late alert close breach escalated', () => district().getJob(`${lateId}|close`), {
      timeoutMs: 20_000,
    });
    expect(await timerResult(`${ackedId}|acknowledge`)).toEqual({ result: 'in-time' });
    expect(await waitFor('closed alert timers ran', () => timerResult(`${doneId}|close`))).toEqual({
      result: 'in-time',
    });
    expect(await district().getJob(`${ackedId}|acknowledge`)).toBeUndefined();
    expect(await district().getJob(`${doneId}|close`)).toBeUndefined();

    const history = await call<{ history: AlertAuditEvent[] }>(alerter, 'GET', `/v1/alerts/${lateId}/history`, token);
    expect(history.body.history.map((e) => [e.action, e.breach, e.actor.role])).toEqual([
      ['opened', null, 'system'],
      ['overdue', 'acknowledge', 'system'],
      ['overdue', 'close', 'system'],
    ]);
    await waitFor('overdue events audited', () => audit.of(lateId!).length === 3);

    const metrics = String((await call(alerter, 'GET', '/metrics')).body);
    expect(metrics).toMatch(new RegExp(`warnline_alerts_overdue\\{street="${STREET_A}"\\} [1-9]`));
    expect(metrics).toMatch(new RegExp(`warnline_alerts_open\\{street="${STREET_A}",level="action"\\} [1-9]`));
  });

  it('fires a timer after the alerter crashed and restarted mid-wait', async () => {
    const first = await startAlerter(env, { ALERT_ACK_WITHIN_SECONDS: '4', ALERT_CLOSE_WITHIN_SECONDS: '3600' });
    const data = alertData();
    await producer.raise(data);
    const alertId = await alertIdOf(first, STREET_A, data.householdId);
    const timer = await waitFor('timer scheduled', () => producer.queue(TIMER_QUEUE).getJob(`${alertId}|acknowledge`));
    expect(await timer.isDelayed()).toBe(true);
    await first.kill(); // a crash, mid-wait

    const second = await startAlerter(env, { ALERT_ACK_WITHIN_SECONDS: '4', ALERT_CLOSE_WITHIN_SECONDS: '3600' });
    running.push(second);
    await waitFor('escalated by the restarted alerter', () => district().getJob(`${alertId}|acknowledge`), {
      timeoutMs: 20_000,
    });
    const shown = await call<{ overdue: { acknowledge: string | null }; state: string }>(
      second,
      'GET',
      `/v1/alerts/${alertId}`,
      token,
    );
    expect(shown.body).toMatchObject({ state: 'new', overdue: { acknowledge: expect.any(String) } });
  });

  it('fires a timer after Redis restarted from its append-only file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'alerter-aof-'));
    const persistence = ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir];
    let server = await startRedisServer(persistence);
    const own: TestEnv = { ...env, redisUrl: server.url };
    const client = new Redis(server.url, { maxRetriesPerRequest: null });
    const ownProducer = new Producer(client, own.queuePrefix);
    try {
      const first = await startAlerter(own, { ALERT_ACK_WITHIN_SECONDS: '5', ALERT_CLOSE_WITHIN_SECONDS: '3600' });
      const data = alertData();
      await ownProducer.raise(data);
      const alertId = await alertIdOf(first, STREET_A, data.householdId);
      await waitFor('timer scheduled', () => ownProducer.queue(TIMER_QUEUE).getJob(`${alertId}|acknowledge`));
      expect(await first.stop()).toBe(0);
      await ownProducer.close();
      client.disconnect();
      await server.stop();

      server = await startRedisServer(persistence);
      const again: TestEnv = { ...own, redisUrl: server.url };
      const client2 = new Redis(server.url, { maxRetriesPerRequest: null });
      const producer2 = new Producer(client2, own.queuePrefix);
      try {
        expect(await (await producer2.queue(TIMER_QUEUE).getJob(`${alertId}|acknowledge`))?.isDelayed()).toBe(true);
        const second = await startAlerter(again, { ALERT_ACK_WITHIN_SECONDS: '5', ALERT_CLOSE_WITHIN_SECONDS: '3600' });
        running.push(second);
        const job = await waitFor(
          'escalated after the Redis restart',
          () => producer2.queue(districtQueueName('310113')).getJob(`${alertId}|acknowledge`),
          { timeoutMs: 20_000 },
        );
        expect(job.data).toMatchObject({ alertId, breach: 'acknowledge' });
        const history = await call<{ history: AlertAuditEvent[] }>(
          second,
          'GET',
          `/v1/alerts/${alertId}/history`,
          token,
        );
        expect(history.body.history.map((e) => e.action)).toEqual(['opened', 'overdue']);
        expect(await second.stop()).toBe(0);
        running.splice(running.indexOf(second), 1);
      } finally {
        await producer2.close();
        client2.disconnect();
      }
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
