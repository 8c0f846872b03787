// Households of one reach a person who can act: their alerts land in a district's (or the city's) triage
// desk, which assigns them to a street (the street then runs its own lifecycle), hands them over to another
// district, or closes them; a desk that misses its time limit is overdue and escalated to the city; a person
// who joins a registry household has their alert folded into the household's. Real Redis, BullMQ and Kafka.
import { describe, expect, it } from 'vitest';
import {
  alertJobId,
  CITY_ESCALATION_QUEUE,
  UNROUTED_ALERT_QUEUE,
  EscalationJobDataSchema,
  type AlertAuditEvent,
  type AlertJobData,
} from '@warnline/contracts';
import { waitFor } from '@warnline/test';
import {
  STREET_A,
  STREET_B,
  TOKENS,
  alertData,
  alertIdOf,
  auditedAlerterForFile,
  call,
  triageData,
} from './support.ts';
import type { AlertView } from '../../src/alert-store.ts';

const DESK = '310113000';
const OTHER_DESK = '310115000';
const CITY_DESK = '000000000';
const TIMER_QUEUE = 'alerter.timers';
const district = TOKENS.district.token;

const stack = auditedAlerterForFile();

const show = async (alertId: string, token: string = TOKENS.admin.token) =>
  (await call<AlertView>(stack.alerter, 'GET', `/v1/alerts/${alertId}`, token)).body;
const historyOf = async (alertId: string) =>
  (
    await call<{ history: AlertAuditEvent[] }>(
      stack.alerter,
      'GET',
      `/v1/alerts/${alertId}/history`,
      TOKENS.admin.token,
    )
  ).body.history;
const move = (alertId: string, token: string, body: Record<string, unknown>) =>
  call<AlertView & { code?: string }>(stack.alerter, 'POST', `/v1/alerts/${alertId}/transitions`, token, body);

/** Raises the job and waits for its alert in the desk (or street); returns the alert id. */
async function triaged(data: AlertJobData, desk: string): Promise<string> {
  await stack.producer.raise(data);
  return alertIdOf(stack.alerter, desk, data.householdId, 'triage');
}

/** Waits until an alert's side effects named where it went, and returns that alert. */
const assignedOf = (alertId: string) =>
  waitFor(`${alertId} handed on`, async () => (await show(alertId)).assignedAlertId ?? undefined);

describe('alerter: triage of households of one', () => {
  it('triages an alert in its district, assigns it to a street, and the street acknowledges and closes it', async () => {
    const data = triageData('310113', { level: 'action' });
    const triageId = await triaged(data, DESK);
    expect(triageId.startsWith(`${DESK}-`)).toBe(true);
    const opened = await show(triageId, district);
    expect(opened).toMatchObject({
      state: 'triage',
      triage: true,
      districtCode: '310113',
      householdId: data.householdId,
      next: ['closed', 'assigned'],
      overdue: { acknowledge: null, close: null, assign: null },
    });
    // Three working days, never less than three calendar days.
    expect(Date.parse(opened.assignDueAt!) - Date.parse(opened.openedAt)).toBeGreaterThanOrEqual(3 * 86_400_000);

    // Street transitions do not apply in triage; a street of another district cannot be assigned.
    expect((await move(triageId, district, { to: 'acknowledged' })).status).toBe(409);
    const outside = await move(triageId, district, { to: 'assigned', street: '310115001' });
    expect(outside.status).toBe(400);
    expect(outside.body.code).toBe('TARGET_NOT_ALLOWED');
    expect((await move(triageId, district, { to: 'assigned' })).body.code).toBe('TARGET_REQUIRED');

    const assigned = await move(triageId, district, { to: 'assigned', street: STREET_A, note: '居住在本街道' });
    expect(assigned.status).toBe(200);
    expect(assigned.body.state).toBe('assigned');
    const streetId = await assignedOf(triageId);
    expect(streetId.startsWith(`${STREET_A}-`)).toBe(true);

    const street = await show(streetId, TOKENS.streetA.token);
    expect(street).toMatchObject({
      state: 'new',
      triage: false,
      householdId: data.householdId,
      level: 'action',
      linkedAlertIds: [triageId],
    });
    expect(Date.parse(street.acknowledgeDueAt) - Date.parse(street.openedAt)).toBe(172_800_000);
    const a = TOKENS.streetA.token;
    expect((await move(streetId, a, { to: 'acknowledged' })).status).toBe(200);
    expect((await move(streetId, a, { to: 'investigating' })).status).toBe(200);
    const closed = await move(streetId, a, { to: 'closed', outcome: 'assistance-granted', note: '已纳入救助' });
    expect(closed.status).toBe(200);
    expect(closed.body.state).toBe('closed');

    // Both histories say where the case went and where it came from; so does the audit topic.
    expect((await historyOf(triageId)).map((e) => [e.action, e.relatedAlertId ?? e.target ?? null])).toEqual([
      ['opened', null],
      ['assigned', STREET_A],
      ['linked', streetId],
    ]);
    const streetHistory = await historyOf(streetId);
    expect(streetHistory.map((e) => e.action)).toEqual(['opened', 'linked', 'acknowledged', 'investigating', 'closed']);
    expect(streetHistory[0]!.jobId).toBe(`${triageId}|assigned`);
    expect(streetHistory[1]!.relatedAlertId).toBe(triageId);
    await waitFor('the audit of both alerts', () =>
      stack.audit.of(triageId).length === 3 && stack.audit.of(streetId).length === 5 ? true : undefined,
    );
    expect(stack.audit.of(triageId)[1]).toMatchObject({
      action: 'assigned',
      actor: { name: 'qu-310113', role: 'district' },
    });
  });

  it('hands a not-resident alert over to the other district’s triage desk', async () => {
    const data = triageData('310113');
    const triageId = await triaged(data, DESK);
    const handOver = { to: 'closed', outcome: 'not-resident', district: '310115', note: '实际居住在310115' };
    expect((await move(triageId, TOKENS.otherDistrict.token, handOver)).status).toBe(403);
    expect((await move(triageId, district, { ...handOver, district: '310113' })).body.code).toBe('TARGET_NOT_ALLOWED');
    const closed = await move(triageId, district, handOver);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed', outcome: 'not-resident' });

    const theirs = await assignedOf(triageId);
    expect(theirs.startsWith(`${OTHER_DESK}-`)).toBe(true);
    expect(await show(theirs, TOKENS.otherDistrict.token)).toMatchObject({
      state: 'triage',
      districtCode: '310115',
      householdId: data.householdId,
      linkedAlertIds: [triageId],
    });
    // The first district no longer reaches it; the new one closes it as a duplicate.
    expect((await call(stack.alerter, 'GET', `/v1/alerts/${theirs}`, district)).status).toBe(403);
    const dup = await move(theirs, TOKENS.otherDistrict.token, { to: 'closed', outcome: 'duplicate', note: '同一人' });
    expect(dup.body).toMatchObject({ state: 'closed', outcome: 'duplicate' });
  });

  it('sends a household of one without a district to the city desk, which hands it to a district', async () => {
    const data = triageData(null);
    const cityId = await triaged(data, CITY_DESK);
    expect(cityId.startsWith(`${CITY_DESK}-`)).toBe(true);
    expect((await call(stack.alerter, 'GET', `/v1/alerts/${cityId}`, district)).status).toBe(403);
    const handed = await move(cityId, TOKENS.city.token, {
      to: 'closed',
      outcome: 'not-resident',
      district: '310113',
      note: '参保地不明, 居住在310113',
    });
    expect(handed.status).toBe(200);
    const desk = await assignedOf(cityId);
    expect(desk.startsWith(`${DESK}-`)).toBe(true);
    expect((await show(desk, district)).state).toBe('triage');
    expect((await historyOf(cityId))[1]!.actor).toEqual({ name: 'shi-31', role: 'city' });
  });

  it('drains what households of one left in alerts.unrouted into the city desk', async () => {
    const data = triageData(null);
    await stack.producer
      .queue(UNROUTED_ALERT_QUEUE)
      .add(data.level, data, { jobId: alertJobId(data.householdId, data.level, data.window.to) });
    const cityId = await alertIdOf(stack.alerter, CITY_DESK, data.householdId, 'triage');
    expect((await show(cityId, TOKENS.city.token)).state).toBe('triage');
  });

  it('marks a triage alert not assigned in time overdue and escalates it to the city', async () => {
    const data = triageData('310113', { level: 'warning' });
    const triageId = await triaged(data, DESK);
    // The assign timer is a delayed job of three working days: fire it now, as the clock would.
    const timer = await waitFor('the assign timer', () =>
      stack.producer.queue(TIMER_QUEUE).getJob(`${triageId}|assign`),
    );
    expect(await timer.getState()).toBe('delayed');
    expect(await stack.producer.queue(TIMER_QUEUE).getJob(`${triageId}|acknowledge`)).toBeUndefined();
    await timer.promote();

    const escalation = await waitFor('the escalation to the city', () =>
      stack.producer.queue(CITY_ESCALATION_QUEUE).getJob(`${triageId}|assign`),
    );
    expect(EscalationJobDataSchema.parse(escalation.data)).toMatchObject({
      alertId: triageId,
      breach: 'assign',
      state: 'triage',
      districtCode: '310113',
      level: 'warning',
    });
    const overdue = await show(triageId, district);
    expect(overdue.overdue.assign).not.toBeNull();
    const listed = await call<{ alerts: AlertView[] }>(
      stack.alerter,
      'GET',
      '/v1/city/alerts?overdue=true&limit=500',
      TOKENS.city.token,
    );
    expect(listed.body.alerts.map((a) => a.alertId)).toContain(triageId);
    expect((await historyOf(triageId)).at(-1)).toMatchObject({ action: 'overdue', breach: 'assign' });
  });

  it('folds the alert of a person who joins a registry household into the household’s alert', async () => {
    // The household has no open alert yet: the person's case opens one in the household's street.
    const person = triageData('310113', { level: 'warning' });
    const personId = await triaged(person, DESK);
    const household = 'HH-join-' + person.householdId.slice(2, 10);
    await stack.producer.link({
      personId: person.householdId,
      householdId: household,
      streetCode: STREET_B,
      districtCode: '310113',
      linkedAt: new Date().toISOString(),
    });
    const householdAlert = await alertIdOf(stack.alerter, STREET_B, household);
    await waitFor('both linked', async () =>
      (await show(personId)).linkedAlertIds.length === 1 && (await show(householdAlert)).linkedAlertIds.length === 1
        ? true
        : undefined,
    );
    expect(await show(personId)).toMatchObject({
      state: 'closed',
      outcome: 'linked',
      linkedAlertIds: [householdAlert],
    });
    expect(await show(householdAlert)).toMatchObject({ state: 'new', householdId: household, level: 'warning' });

    // The household already has an open alert: the person's is folded into it (one open alert per household).
    const open = alertData({ streetCode: STREET_B, level: 'warning' });
    await stack.producer.raise(open);
    const openId = await alertIdOf(stack.alerter, STREET_B, open.householdId);
    const joiner = triageData('310113', { level: 'action' });
    const joinerId = await triaged(joiner, DESK);
    await move(joinerId, district, { to: 'assigned', street: STREET_A });
    const joinerStreet = await assignedOf(joinerId);
    await stack.producer.link({
      personId: joiner.householdId,
      householdId: open.householdId,
      streetCode: STREET_B,
      districtCode: '310113',
      linkedAt: new Date().toISOString(),
    });
    const folded = await waitFor('the joiner folded in', async () => {
      const view = await show(openId);
      return view.linkedAlertIds.includes(joinerStreet) ? view : undefined;
    });
    expect(folded).toMatchObject({ state: 'new', level: 'action', jobs: 2 });
    expect(await show(joinerStreet)).toMatchObject({ state: 'closed', outcome: 'linked' });
    const streetB = await call<{ alerts: AlertView[] }>(
      stack.alerter,
      'GET',
      `/v1/streets/${STREET_B}/alerts?state=new&limit=500`,
      TOKENS.admin.token,
    );
    expect(streetB.body.alerts.filter((a) => a.householdId === open.householdId)).toHaveLength(1);
    const history = await historyOf(openId);
    expect(history.map((e) => e.action)).toEqual(['opened', 'level-raised', 'linked']);
    expect(history[2]!.relatedAlertId).toBe(joinerStreet);
  });
});
