// People outside the registry, end to end: a hospital posts the national-platform settlements of a person no
// civil-affairs household lists; their insured area names a district, so the alert reaches that district's
// triage desk, which assigns it to a street that acknowledges, visits and closes it. A second such person
// then joins a registry household: their open alert is folded into the household's, one open alert per
// household, both histories saying so. No identity number reaches the alerts or any service's output.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { household, nhsaExchange, residentId, uniqueId, type RunningService, waitFor } from '@warnline/test';
import { postAccepted, stackEnv, stackNames, startStack, stopStack } from './stack.ts';

const DISTRICT = '310113';
const DESK = '310113000';
const STREET = '310113103';
const JOIN_STREET = '310113104';

interface Alert {
  alertId: string;
  householdId: string;
  streetCode: string;
  state: string;
  outcome: string | null;
  assignedAlertId: string | null;
  linkedAlertIds: string[];
}

describe('a household of one → its district triage desk → a street; joining a household links the alerts', () => {
  const services: RunningService[] = [];
  const names = stackNames();
  const { hospitalToken, registryToken } = names;
  const tokens = {
    district: { name: 'qu-310113', token: uniqueId('district-token-0123456789'), role: 'district', district: DISTRICT },
    street: { name: 'st-310113103', token: uniqueId('street-token-0123456789'), role: 'street', street: STREET },
  };
  let ingest: RunningService;
  let alerter: RunningService;
  let redis: Redis;

  beforeAll(async () => {
    const stack = await startStack(
      stackEnv({
        ...names,
        streets: STREET,
        alerterTokens: Object.values(tokens),
        institutionLevels: { H31011000012: 3 },
      }),
    );
    services.push(stack.ingest, stack.accumulator, stack.alerter);
    ({ ingest, alerter } = stack);
    redis = new Redis(inject('redisUrl'));
  });

  afterAll(async () => {
    await stopStack(services, redis, names);
  });

  const post = (path: string, token: string, body: unknown) => postAccepted(ingest, path, token, body);
  const api = async <T>(method: 'GET' | 'POST', path: string, token: string, body?: unknown) => {
    const res = await fetch(`${alerter.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const district = tokens.district.token;
  /** The district's alerts in a state, waiting until `count` are there. */
  const listed = (query: string, count: number) =>
    waitFor(`${count} alert(s) with ${query}`, async () => {
      const r = await api<{ alerts: Alert[] }>('GET', `/v1/districts/${DISTRICT}/alerts?${query}`, district);
      return r.body.alerts?.length === count ? r.body.alerts : undefined;
    });
  /** 150,000 yuan of cash in one stay: above the monitoring line for anyone. */
  const heavyStay = (certno: string) =>
    nhsaExchange({ infno: '2304', certno, cashFen: 15_000_000, insuplcAdmdvs: DISTRICT });

  it('triages, assigns, acknowledges and closes the alert of a person the registry does not know', async () => {
    const person = residentId(631);
    expect(await post('/v1/nhsa/exchanges', hospitalToken, heavyStay(person))).toEqual({ accepted: 1, rejected: [] });

    const [triage] = await listed('state=triage', 1);
    expect(triage).toMatchObject({ streetCode: DESK });
    expect(triage!.householdId).toMatch(/^p_[0-9a-f]{32}$/);

    const assigned = await api<Alert>('POST', `/v1/alerts/${triage!.alertId}/transitions`, district, {
      to: 'assigned',
      street: STREET,
      note: '居住在本街道',
    });
    expect(assigned.body).toMatchObject({ state: 'assigned' });
    const streetId = await waitFor('the street alert', async () => {
      const r = await api<Alert>('GET', `/v1/alerts/${triage!.alertId}`, district);
      return r.body.assignedAlertId ?? undefined;
    });
    const move = (body: Record<string, unknown>) =>
      api<Alert>('POST', `/v1/alerts/${streetId}/transitions`, tokens.street.token, body);
    expect((await move({ to: 'acknowledged' })).status).toBe(200);
    expect((await move({ to: 'investigating', note: '已入户走访' })).status).toBe(200);
    const closed = await move({ to: 'closed', outcome: 'assistance-granted', note: '已纳入医疗救助' });
    expect(closed.body).toMatchObject({ state: 'closed', householdId: triage!.householdId, streetCode: STREET });
    expect(JSON.stringify(closed.body)).not.toContain(person);
  });

  it('folds the open alert of a person who joins a registry household into the household’s alert', async () => {
    const person = residentId(632);
    expect(await post('/v1/nhsa/exchanges', hospitalToken, heavyStay(person))).toEqual({ accepted: 1, rejected: [] });
    const [triage] = await listed('state=triage', 1);

    const hh = household({
      householdId: uniqueId('HH'),
      members: [person],
      streetCode: JOIN_STREET,
      districtCode: DISTRICT,
      income: '60000.00',
    });
    expect(await post('/v1/households', registryToken, hh)).toEqual({ accepted: 1, rejected: [] });

    const linked = await waitFor('the person’s alert closed as linked', async () => {
      const r = await api<Alert>('GET', `/v1/alerts/${triage!.alertId}`, district);
      return r.body.state === 'closed' && r.body.linkedAlertIds.length === 1 ? r.body : undefined;
    });
    expect(linked.outcome).toBe('linked');
    const [open] = await listed(`street=${JOIN_STREET}&state=new`, 1);
    expect(open).toMatchObject({ householdId: hh.householdId, alertId: linked.linkedAlertIds[0] });
    expect(open!.linkedAlertIds).toEqual([triage!.alertId]);
    const history = await api<{ history: { action: string; relatedAlertId?: string | null }[] }>(
      'GET',
      `/v1/alerts/${open!.alertId}/history`,
      district,
    );
    expect(history.body.history.filter((e) => e.action === 'linked').map((e) => e.relatedAlertId)).toEqual([
      triage!.alertId,
    ]);
    for (const s of services) expect(s.output()).not.toContain(person);
  });
});
