// The access matrix: every route × every role. A street token reaches its own street only, a district
// token the streets and the triage desk of its district, a city token every alert and listing (not
// bull-board), admin everything (bull-board included); no or an unknown token → 401, out of scope → 403. Denied changes leave the alert untouched, and no token ever reaches the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentId, type RunningService } from '@warnline/test';
import type { Producer } from './support.ts';
import {
  STREET_A,
  STREET_B,
  STREET_C,
  TOKENS,
  alertData,
  alertIdOf,
  call,
  openAlerterStack,
  triageData,
  type AlerterStack,
} from './support.ts';

const ROLES = ['none', 'unknown', 'streetA', 'streetB', 'district', 'otherDistrict', 'city', 'admin'] as const;
type Role = (typeof ROLES)[number];

const tokenOf = (role: Role): string | undefined =>
  role === 'none' ? undefined : role === 'unknown' ? 'not-a-configured-token-0123456789' : TOKENS[role].token;

type Route =
  | 'list'
  | 'show'
  | 'history'
  | 'transition'
  | 'reveal'
  | 'triageShow'
  | 'triageHistory'
  | 'assign'
  | 'handOver'
  | 'cityDeskShow'
  | 'districtList'
  | 'districtCsv'
  | 'cityList'
  | 'cityCsv'
  | 'board'
  | 'metrics'
  | 'healthz';

// Expected status per route and role. Alerts are street 310113103 (district 310113); streetB is 310113104,
// a neighbour in the same district; otherDistrict is 310115. Triage alerts are in 310113's desk (310113000)
// and the city's (000000000).
const street = (s: number, d: number, city: number) =>
  ({ none: 401, unknown: 401, streetA: s, streetB: 403, district: d, otherDistrict: 403, city, admin: 200 }) as const;
const districtOnly = {
  none: 401,
  unknown: 401,
  streetA: 403,
  streetB: 403,
  district: 200,
  otherDistrict: 403,
  city: 200,
  admin: 200,
} as const;
const cityOnly = {
  none: 401,
  unknown: 401,
  streetA: 403,
  streetB: 403,
  district: 403,
  otherDistrict: 403,
  city: 200,
  admin: 200,
} as const;
const open = {
  none: 200,
  unknown: 200,
  streetA: 200,
  streetB: 200,
  district: 200,
  otherDistrict: 200,
  city: 200,
  admin: 200,
} as const;
const MATRIX: Record<Route, Record<Role, number>> = {
  list: street(200, 200, 200),
  show: street(200, 200, 200),
  history: street(200, 200, 200),
  transition: street(200, 200, 200),
  // Identities: the street and its district only; oversight (city) and operations (admin) never.
  reveal: { ...street(200, 200, 403), admin: 403 },
  triageShow: districtOnly,
  triageHistory: districtOnly,
  assign: districtOnly,
  handOver: districtOnly,
  cityDeskShow: cityOnly,
  districtList: districtOnly,
  districtCsv: districtOnly,
  cityList: cityOnly,
  cityCsv: cityOnly,
  board: { ...cityOnly, city: 403 },
  metrics: open,
  healthz: open,
};

describe('alerter: access matrix', () => {
  let stack: AlerterStack;
  let producer: Producer;
  let alerter: RunningService;
  let shared: string;
  let foreign: string;
  let desk: string;
  let cityDesk: string;
  /** One fresh alert per role, so each role's transition starts from `new`. */
  const own = new Map<Role, string>();
  /** One fresh triage alert per role and triage transition, so each starts from `triage`. */
  const toAssign = new Map<Role, string>();
  const toHandOver = new Map<Role, string>();

  beforeAll(async () => {
    stack = await openAlerterStack({ reveal: true });
    ({ producer, alerter } = stack);
    const sharedData = alertData({ members: await stack.ingest!.keep([residentId(701)]) });
    await producer.raise(sharedData);
    shared = await alertIdOf(alerter, STREET_A, sharedData.householdId);
    const foreignData = alertData({ streetCode: STREET_C });
    await producer.raise(foreignData);
    foreign = await alertIdOf(alerter, STREET_C, foreignData.householdId);
    for (const role of ROLES) {
      const d = alertData();
      await producer.raise(d);
      own.set(role, await alertIdOf(alerter, STREET_A, d.householdId));
    }
    const triaged = async (districtCode: string | null) => {
      const d = triageData(districtCode);
      await producer.raise(d);
      return alertIdOf(alerter, districtCode === null ? '000000000' : `${districtCode}000`, d.householdId, 'triage');
    };
    desk = await triaged('310113');
    cityDesk = await triaged(null);
    for (const role of ROLES) {
      toAssign.set(role, await triaged('310113'));
      toHandOver.set(role, await triaged('310113'));
    }
  });

  afterAll(async () => {
    expect(await stack?.close()).toBe(0);
  });

  const request = (route: Route, role: Role) => {
    const token = tokenOf(role);
    switch (route) {
      case 'list':
        return call(alerter, 'GET', `/v1/streets/${STREET_A}/alerts`, token);
      case 'show':
        return call(alerter, 'GET', `/v1/alerts/${shared}`, token);
      case 'history':
        return call(alerter, 'GET', `/v1/alerts/${shared}/history`, token);
      case 'transition':
        return call(alerter, 'POST', `/v1/alerts/${own.get(role)}/transitions`, token, {
          to: 'acknowledged',
          note: role,
        });
      case 'triageShow':
        return call(alerter, 'GET', `/v1/alerts/${desk}`, token);
      case 'triageHistory':
        return call(alerter, 'GET', `/v1/alerts/${desk}/history`, token);
      case 'assign':
        return call(alerter, 'POST', `/v1/alerts/${toAssign.get(role)}/transitions`, token, {
          to: 'assigned',
          street: STREET_A,
        });
      case 'handOver':
        return call(alerter, 'POST', `/v1/alerts/${toHandOver.get(role)}/transitions`, token, {
          to: 'closed',
          outcome: 'not-resident',
          district: '310115',
          note: role,
        });
      case 'cityDeskShow':
        return call(alerter, 'GET', `/v1/alerts/${cityDesk}`, token);
      case 'districtList':
        return call(alerter, 'GET', '/v1/districts/310113/alerts', token);
      case 'districtCsv':
        return call(alerter, 'GET', '/v1/districts/310113/alerts.csv', token);
      case 'cityList':
        return call(alerter, 'GET', '/v1/city/alerts', token);
      case 'cityCsv':
        return call(alerter, 'GET', '/v1/city/alerts.csv', token);
      case 'reveal':
        return call(alerter, 'POST', `/v1/alerts/${shared}/reveal`, token, { purpose: '入户核查医疗负担' });
      case 'board':
        return call(alerter, 'GET', '/admin/queues', token);
      case 'metrics':
        return call(alerter, 'GET', '/metrics', token);
      case 'healthz':
        return call(alerter, 'GET', '/healthz', token);
    }
  };

  const cases = (Object.keys(MATRIX) as Route[]).flatMap((route) =>
    ROLES.map((role) => [route, role, MATRIX[route][role]] as const),
  );

  it.each(cases)('%s as %s → %i', async (route, role, expected) => {
    const answer = await request(route, role);
    expect(answer.status).toBe(expected);
    if (expected === 401) expect(answer.body).toMatchObject({ code: 'UNAUTHENTICATED', retriable: false });
    if (expected === 403) expect(answer.body).toMatchObject({ code: 'FORBIDDEN', retriable: false });
  });

  it('leaves alerts untouched by denied transitions and records who made the allowed ones', async () => {
    const stateOf = async (id: string | undefined) =>
      (await call<{ state: string }>(alerter, 'GET', `/v1/alerts/${id}`, TOKENS.admin.token)).body.state;
    for (const role of ROLES) {
      expect(await stateOf(own.get(role))).toBe(MATRIX.transition[role] === 200 ? 'acknowledged' : 'new');
      expect(await stateOf(toAssign.get(role))).toBe(MATRIX.assign[role] === 200 ? 'assigned' : 'triage');
      expect(await stateOf(toHandOver.get(role))).toBe(MATRIX.handOver[role] === 200 ? 'closed' : 'triage');
    }
    const history = await call<{ history: { action: string; actor: { name: string; role: string } }[] }>(
      alerter,
      'GET',
      `/v1/alerts/${own.get('district')}/history`,
      TOKENS.admin.token,
    );
    expect(history.body.history[1]).toMatchObject({
      action: 'acknowledged',
      actor: { name: 'qu-310113', role: 'district' },
    });
  });

  it('keeps a street out of other streets and districts, whatever it asks', async () => {
    const t = TOKENS.streetA.token;
    expect((await call(alerter, 'GET', `/v1/streets/${STREET_C}/alerts`, t)).status).toBe(403);
    expect((await call(alerter, 'GET', `/v1/alerts/${foreign}`, t)).status).toBe(403);
    expect((await call(alerter, 'POST', `/v1/alerts/${foreign}/transitions`, t, { to: 'acknowledged' })).status).toBe(
      403,
    );
    // An id of another street is refused before it is looked up: existence does not leak.
    expect((await call(alerter, 'GET', `/v1/alerts/${STREET_C}-999999`, t)).status).toBe(403);
    expect((await call(alerter, 'GET', '/v1/alerts/garbage', t)).status).toBe(403);
    expect((await call(alerter, 'GET', `/v1/alerts/${foreign}`, TOKENS.otherDistrict.token)).status).toBe(200);
    // Nor does it reach its district's triage desk, its listing or the city's.
    expect((await call(alerter, 'GET', '/v1/streets/310113000/alerts?state=triage', t)).status).toBe(403);
    expect((await call(alerter, 'GET', `/v1/alerts/310113000-000001`, t)).status).toBe(403);
    expect((await call(alerter, 'GET', '/v1/districts/310113/alerts?state=triage', t)).status).toBe(403);
    // A malformed district is refused before it is described, outside the token's scope.
    expect((await call(alerter, 'GET', '/v1/districts/31011x/alerts', TOKENS.district.token)).status).toBe(403);
    expect((await call(alerter, 'GET', '/v1/districts/31011x/alerts', TOKENS.city.token)).status).toBe(400);
  });

  it("takes a street's district from the street code, never from the data of a job", async () => {
    // A job (as a compromised or buggy producer could write it) that names district 310115 for a street of
    // 310113: the street stays 310113's, and 310115's token gets nothing.
    const misfiled = alertData({ streetCode: STREET_B, districtCode: '310115' });
    await producer.raise(misfiled);
    await alertIdOf(alerter, STREET_B, misfiled.householdId);
    const list = (token: string) => call(alerter, 'GET', `/v1/streets/${STREET_B}/alerts`, token);
    expect((await list(TOKENS.otherDistrict.token)).status).toBe(403);
    expect((await list(TOKENS.district.token)).status).toBe(200);
  });

  it('lets a browser reach bull-board with Basic auth and the admin token, and asks for it otherwise', async () => {
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    const asked = await fetch(`${alerter.url}/admin/queues`);
    expect(asked.status).toBe(401);
    expect(asked.headers.get('www-authenticate')).toMatch(/^Basic /);
    const ok = await fetch(`${alerter.url}/admin/queues`, {
      headers: { authorization: basic('ops', TOKENS.admin.token) },
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<html');
    const api = await fetch(`${alerter.url}/admin/queues/api/queues`, {
      headers: { authorization: basic('ops', TOKENS.admin.token) },
    });
    expect(api.status).toBe(200);
    expect(JSON.stringify(await api.json())).toContain(`alerts.street.${STREET_A}`);
    const street = await fetch(`${alerter.url}/admin/queues/api/queues`, {
      headers: { authorization: basic('x', TOKENS.streetA.token) },
    });
    expect(street.status).toBe(403);
    for (const header of [
      'Bearer',
      'Token abc',
      `Bearer ${TOKENS.admin.token} extra`,
      basic('ops', 'wrong-password-0123456789'),
    ]) {
      expect(
        (await fetch(`${alerter.url}/v1/streets/${STREET_A}/alerts`, { headers: { authorization: header } })).status,
      ).toBe(401);
    }
  });

  it('records every allowed reveal in the history, and no refused one', async () => {
    const history = await call<{ history: { action: string; actor: { name: string } }[] }>(
      alerter,
      'GET',
      `/v1/alerts/${shared}/history`,
      TOKENS.admin.token,
    );
    const revealedBy = history.body.history.filter((e) => e.action === 'reveal-requested').map((e) => e.actor.name);
    expect(revealedBy.sort()).toEqual([TOKENS.district.name, TOKENS.streetA.name].sort());
  });

  it('never writes a token or a revealed identity number to its log', () => {
    for (const t of Object.values(TOKENS)) expect(alerter.output()).not.toContain(t.token);
    expect(alerter.output()).not.toContain(residentId(701));
  });
});
