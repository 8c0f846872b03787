// GET /v1/dashboard through the running alerter: who may see which scope, and the figures equal what the
// street listings answer for the same streets after alerts arrived through the queues and a caseworker acted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  STREET_A,
  STREET_B,
  STREET_C,
  TOKENS,
  alertData,
  alertIdOf,
  call,
  openAlerterStack,
  type AlerterStack,
} from './support.ts';

interface StreetFigures {
  streetCode: string;
  open: Record<string, number>;
  openTotal: number;
  byState: Record<string, number>;
  overdue: number;
  timeToAcknowledge: { count: number; medianSeconds: number | null };
}
interface DashboardBody {
  scope: string;
  days: number;
  streets: StreetFigures[];
  totals: Omit<StreetFigures, 'streetCode'>;
  newByWeek: { weekStart: string; count: number }[];
  householdsByLevel: { day: string; watch: number; warning: number; action: number }[];
}

describe('alerter: dashboard API', () => {
  let stack: AlerterStack;

  beforeAll(async () => {
    stack = await openAlerterStack();
    const raised = [
      alertData({ level: 'warning' }),
      alertData({ level: 'action' }),
      alertData({ level: 'watch' }),
      alertData({ streetCode: STREET_B, level: 'warning' }),
      alertData({ streetCode: STREET_C, level: 'action' }),
    ];
    for (const data of raised) await stack.producer.raise(data);
    const ids = [];
    for (const data of raised) ids.push(await alertIdOf(stack.alerter, data.streetCode, data.householdId));
    const acknowledged = await call(stack.alerter, 'POST', `/v1/alerts/${ids[0]}/transitions`, TOKENS.streetA.token, {
      to: 'acknowledged',
    });
    expect(acknowledged.status).toBe(200);
  });

  afterAll(async () => {
    expect(await stack.close()).toBe(0);
  });

  const dashboard = (token: string, query = '') =>
    call<DashboardBody>(stack.alerter, 'GET', `/v1/dashboard${query}`, token);

  it('answers each scope to whoever may see it, and refuses the rest', async () => {
    const cases: [string, string, number][] = [
      [TOKENS.admin.token, '?scope=city', 200],
      [TOKENS.admin.token, '?scope=310115', 200],
      [TOKENS.district.token, '', 200],
      [TOKENS.district.token, '?scope=310113', 200],
      [TOKENS.district.token, `?scope=${STREET_B}`, 200],
      [TOKENS.district.token, '?scope=city', 403],
      [TOKENS.district.token, '?scope=310115', 403],
      [TOKENS.district.token, `?scope=${STREET_C}`, 403],
      [TOKENS.streetA.token, '', 200],
      [TOKENS.streetA.token, '?scope=310113', 403],
      [TOKENS.streetA.token, `?scope=${STREET_B}`, 403],
      [TOKENS.admin.token, '?scope=31011', 400],
      [TOKENS.admin.token, '?days=91', 400],
    ];
    for (const [token, query, status] of cases)
      expect([query, (await dashboard(token, query)).status]).toEqual([query, status]);
    expect((await call(stack.alerter, 'GET', '/v1/dashboard')).status).toBe(401);
    expect((await dashboard(TOKENS.district.token)).body.scope).toBe('310113');
    expect((await dashboard(TOKENS.admin.token)).body.scope).toBe('city');
  });

  it("equals the listings' totals for the district's streets", async () => {
    const { body } = await dashboard(TOKENS.district.token, '?scope=310113&days=90');
    expect(body.days).toBe(90);
    expect(body.streets.map((s) => s.streetCode)).toEqual([STREET_A, STREET_B]);
    for (const street of body.streets) {
      for (const state of ['new', 'acknowledged', 'investigating', 'closed', 'overdue']) {
        const listed = await call<{ total: number }>(
          stack.alerter,
          'GET',
          `/v1/streets/${street.streetCode}/alerts?state=${state}&limit=1`,
          TOKENS.district.token,
        );
        const figure = state === 'overdue' ? street.overdue : street.byState[state];
        expect([street.streetCode, state, figure]).toEqual([street.streetCode, state, listed.body.total]);
      }
    }
    const a = body.streets[0]!;
    expect(a.open).toEqual({ watch: 1, warning: 1, action: 1 });
    expect(a.byState).toMatchObject({ new: 2, acknowledged: 1 });
    expect(a.timeToAcknowledge.count).toBe(1);
    expect(body.totals.open).toEqual({ watch: 1, warning: 2, action: 1 });
    expect(body.newByWeek.reduce((sum, w) => sum + w.count, 0)).toBe(4);
    expect(body.householdsByLevel.at(-1)).toMatchObject(body.totals.open);
  });
});
