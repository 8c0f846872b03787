// District-wide and city-wide listings and their CSV export, for the monthly joint review: every alert of the
// scope (streets and triage desks), filtered by state, level, street and overdue, paged; the CSV opens in
// Excel (byte-order mark, CRLF) and is parsed back here to check its columns and filters.
import { beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@warnline/test';
import {
  STREET_A,
  STREET_B,
  STREET_C,
  TOKENS,
  alertData,
  alertIdOf,
  auditedAlerterForFile,
  call,
  triageData,
} from './support.ts';
import type { AlertView } from '../../src/alert-store.ts';

const stack = auditedAlerterForFile();

interface Page {
  scope: { districtCode: string | null };
  filter: Record<string, unknown>;
  offset: number;
  limit: number;
  total: number;
  alerts: AlertView[];
}

const list = (path: string, token: string = TOKENS.district.token) => call<Page>(stack.alerter, 'GET', path, token);

/** A minimal RFC 4180 reader: quoted fields with doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

async function csv(path: string, token: string = TOKENS.district.token): Promise<{ headers: Headers; raw: Buffer }> {
  const res = await fetch(`${stack.alerter.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return { headers: res.headers, raw: Buffer.from(await res.arrayBuffer()) };
}

describe('alerter: district and city listings', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const jobs = {
      aWatch: alertData({ streetCode: STREET_A, level: 'watch' }),
      aAction: alertData({ streetCode: STREET_A, level: 'action' }),
      bWarning: alertData({ streetCode: STREET_B, level: 'warning' }),
      cAction: alertData({ streetCode: STREET_C, level: 'action' }),
      desk: triageData('310113', { level: 'action' }),
    };
    for (const data of Object.values(jobs)) await stack.producer.raise(data);
    for (const [name, data] of Object.entries(jobs)) {
      const street = data.streetCode || '310113000';
      ids[name] = await alertIdOf(stack.alerter, street, data.householdId, data.streetCode ? 'new' : 'triage');
    }
    const move = (id: string, to: string) =>
      call(stack.alerter, 'POST', `/v1/alerts/${id}/transitions`, TOKENS.admin.token, { to });
    await move(ids.aAction!, 'acknowledged');
    // One overdue alert: its acknowledge timer fired early.
    const timer = await waitFor('the acknowledge timer', () =>
      stack.producer.queue('alerter.timers').getJob(`${ids.bWarning}|acknowledge`),
    );
    await timer.promote();
    await waitFor('bWarning overdue', async () => {
      const r = await call<AlertView>(stack.alerter, 'GET', `/v1/alerts/${ids.bWarning}`, TOKENS.admin.token);
      return r.body.overdue.acknowledge ? true : undefined;
    });
  });

  const idsOf = (page: Page) => page.alerts.map((a) => a.alertId);
  const opened = new Map<string, string>();
  /** The alerts named, oldest first (workers of different streets open alerts in no fixed order). */
  const inOrder = (...names: string[]) =>
    names.map((n) => ids[n]!).sort((a, b) => opened.get(a)!.localeCompare(opened.get(b)!) || (a < b ? -1 : 1));

  beforeAll(async () => {
    for (const id of Object.values(ids)) {
      const r = await call<AlertView>(stack.alerter, 'GET', `/v1/alerts/${id}`, TOKENS.admin.token);
      opened.set(id, r.body.openedAt);
    }
  });

  it('lists every alert of the district, streets and triage desk, oldest first, and nothing of another district', async () => {
    const page = (await list('/v1/districts/310113/alerts')).body;
    expect(page.scope).toEqual({ districtCode: '310113' });
    expect(page.total).toBe(4);
    expect(idsOf(page)).toEqual(inOrder('aWatch', 'aAction', 'bWarning', 'desk'));
    expect(idsOf(page)).not.toContain(ids.cAction);
  });

  it('filters by state, level, street and overdue, and pages', async () => {
    const path = (q: string) => `/v1/districts/310113/alerts?${q}`;
    expect(idsOf((await list(path('state=new'))).body)).toEqual(inOrder('aWatch', 'bWarning'));
    expect(idsOf((await list(path('state=triage'))).body)).toEqual([ids.desk]);
    expect(idsOf((await list(path('level=action'))).body)).toEqual(inOrder('aAction', 'desk'));
    expect(idsOf((await list(path(`street=${STREET_A}`))).body)).toEqual([ids.aWatch, ids.aAction]);
    expect(idsOf((await list(path('overdue=true'))).body)).toEqual([ids.bWarning]);
    expect((await list(path('overdue=false'))).body.total).toBe(3);
    expect(idsOf((await list(path(`street=${STREET_A}&level=action&state=acknowledged`))).body)).toEqual([ids.aAction]);
    const second = (await list(path('offset=1&limit=2'))).body;
    expect(second).toMatchObject({ offset: 1, limit: 2, total: 4 });
    expect(idsOf(second)).toEqual(inOrder('aWatch', 'aAction', 'bWarning', 'desk').slice(1, 3));
    expect((await list(path('level=none'))).status).toBe(400);
    expect((await list(path('overdue=yes'))).status).toBe(400);
  });

  it('lists the whole city, or one district of it, for city tokens', async () => {
    const city = (await list('/v1/city/alerts', TOKENS.city.token)).body;
    expect(city.scope).toEqual({ districtCode: null });
    expect(idsOf(city)).toEqual(inOrder('aWatch', 'aAction', 'bWarning', 'cAction', 'desk'));
    const other = (await list('/v1/city/alerts?district=310115', TOKENS.city.token)).body;
    expect(idsOf(other)).toEqual([ids.cAction]);
    expect((await list('/v1/city/alerts', TOKENS.district.token)).status).toBe(403);
  });

  it('exports the same filter as CSV that Excel opens: BOM, CRLF, Chinese headers with the codes', async () => {
    const { headers, raw } = await csv('/v1/districts/310113/alerts.csv?level=action');
    expect(headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(headers.get('content-disposition')).toMatch(/^attachment; filename="alerts-310113\.csv"$/);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      '告警编号 alertId',
      '区 districtCode',
      '街镇 streetCode',
      '户 householdId',
      '状态 state',
      '等级 level',
      '结果 outcome',
      '开启 openedAt',
      '确认时限 acknowledgeDueAt',
      '办结时限 closeDueAt',
      '分派时限 assignDueAt',
      '逾期 overdue',
      '办结 closedAt',
      '分派至 assignedAlertId',
      '12个月负担 burden12m',
      '收入 income',
      '负担比 burdenRatio',
      '发现 findings',
    ]);
    const column = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => r[column('告警编号 alertId')])).toEqual(inOrder('aAction', 'desk'));
    const stateOf = (id: string) => rows.find((r) => r[0] === id)?.[column('状态 state')];
    expect([stateOf(ids.aAction!), stateOf(ids.desk!)]).toEqual(['acknowledged', 'triage']);
    expect(rows.every((r) => r[column('等级 level')] === 'action' && r.length === header!.length)).toBe(true);
    expect(rows.find((r) => r[0] === ids.desk)![column('街镇 streetCode')]).toBe('310113000');
    expect(rows.find((r) => r[0] === ids.aAction)![column('发现 findings')]).toBe('APPROACHING_EXPENDITURE_POVERTY');

    const overdue = parseCsv((await csv('/v1/city/alerts.csv?overdue=true', TOKENS.city.token)).raw.toString('utf8'));
    expect(overdue.slice(1).map((r) => [r[0], r[11]])).toEqual([[ids.bWarning, 'acknowledge']]);
  });
});
