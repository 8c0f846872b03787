// The supervisor dashboard and the pipeline page in a real browser (Debian's Chromium) against a real
// alerter: every figure the dashboard shows equals what GET /v1/dashboard answers for the same token and
// scope; its charts are drawn (a canvas each) from the console's own assets, with no request elsewhere and
// no script error; the CSV download is the alerter's file for the same token; a street token cannot open
// it; the admin's pipeline page shows the queues and links to bull-board.
// Screenshots: test-artifacts/screenshots/dashboard-district.png, dashboard-city.png, pipeline.png.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueId, type RunningService } from '@warnline/test';
import {
  alertData,
  alertIdOf,
  call,
  openAlerterStack,
  STREET_A,
  STREET_B,
  TOKENS,
  type AlerterStack,
} from '../../../alerter/test/integration/support.ts';
import { launchChromium, startConsole, stopConsole, screenshot, signInAt, unlabelledControls } from './browser.ts';

interface Figures {
  open: Record<string, number>;
  overdue: number;
  timeToAcknowledge: { medianSeconds: number | null; p90Seconds: number | null };
  timeToClose: { medianSeconds: number | null; p90Seconds: number | null };
}
interface DashboardAnswer {
  totals: Figures;
  streets: (Figures & { streetCode: string })[];
  outcomesByMonth: { month: string; counts: Record<string, number>; total: number }[];
  newByWeek: { weekStart: string; count: number }[];
  householdsByLevel: { day: string; watch: number; warning: number; action: number }[];
}

let stack: AlerterStack;
let consoleService: RunningService;
let browser: Browser;
const consolePrefix = uniqueId('wlc');

beforeAll(async () => {
  stack = await openAlerterStack();
  const raised = [
    alertData({ level: 'action' }),
    alertData({ level: 'watch' }),
    alertData({ level: 'warning' }),
    alertData({ streetCode: STREET_B, level: 'warning' }),
  ];
  for (const data of raised) await stack.producer.raise(data);
  const ids: string[] = [];
  for (const data of raised) ids.push(await alertIdOf(stack.alerter, data.streetCode, data.householdId));
  // One alert through the whole loop, one acknowledged: durations and an outcome to show.
  const move = async (id: string, body: Record<string, string>) =>
    expect(
      (await call(stack.alerter, 'POST', `/v1/alerts/${id}/transitions`, TOKENS.district.token, body)).status,
    ).toBe(200);
  await move(ids[0]!, { to: 'acknowledged' });
  await move(ids[0]!, { to: 'investigating' });
  await move(ids[0]!, { to: 'closed', outcome: 'assistance-granted', note: '已纳入医疗救助' });
  await move(ids[3]!, { to: 'acknowledged' });
  consoleService = await startConsole(stack.alerter.url, inject('redisUrl'), consolePrefix);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  expect(await stopConsole(consoleService, inject('redisUrl'), consolePrefix)).toBe(0);
  await stack?.close();
});

/** The figure names and values the dashboard answer should put on the page, as the page formats them. */
function expectedFigures(d: DashboardAnswer): Map<string, string> {
  const hours = (s: number | null) => (s === null ? '—' : (s / 3600).toFixed(1));
  const out = new Map<string, string>();
  const row = (prefix: string, f: Figures) => {
    for (const level of ['watch', 'warning', 'action']) out.set(`${prefix}.open.${level}`, String(f.open[level]));
    out.set(`${prefix}.overdue`, String(f.overdue));
    out.set(`${prefix}.ack.median`, hours(f.timeToAcknowledge.medianSeconds));
    out.set(`${prefix}.ack.p90`, hours(f.timeToAcknowledge.p90Seconds));
    out.set(`${prefix}.close.median`, hours(f.timeToClose.medianSeconds));
    out.set(`${prefix}.close.p90`, hours(f.timeToClose.p90Seconds));
  };
  for (const s of d.streets) row(s.streetCode, s);
  row('total', d.totals);
  for (const m of d.outcomesByMonth) {
    out.set(`outcomes.${m.month}.total`, String(m.total));
    for (const [o, n] of Object.entries(m.counts)) out.set(`outcomes.${m.month}.${o}`, String(n));
  }
  for (const w of d.newByWeek) out.set(`week.${w.weekStart}`, String(w.count));
  for (const r of d.householdsByLevel)
    for (const level of ['watch', 'warning', 'action'] as const) out.set(`levels.${r.day}.${level}`, String(r[level]));
  return out;
}

/** Every request the page makes and every script error or console error it reports, from now on. */
function watch(page: Page, origin: string): { foreign: string[]; errors: string[] } {
  const seen = { foreign: [] as string[], errors: [] as string[] };
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== origin) seen.foreign.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(m.text());
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  return seen;
}

const CHARTS = ['chart-weeks', 'chart-levels', 'chart-outcomes', 'chart-acknowledge', 'chart-close'];

/** The charts each drew a canvas with something on it. */
async function expectChartsDrawn(page: Page): Promise<void> {
  for (const id of CHARTS) {
    const canvas = page.locator(`#${id} canvas`);
    await canvas.first().waitFor();
    const size = await canvas
      .first()
      .evaluate((c) => [(c as { width: number }).width, (c as { height: number }).height]);
    expect(size[0]).toBeGreaterThan(100);
    expect(size[1]).toBeGreaterThan(100);
  }
}

/** Compares every figure the page shows with the API's answer for the same token and scope. */
async function expectApiFigures(page: Page, path: string, token: string): Promise<Map<string, string>> {
  const shown = new Map(
    await page.$$eval('[data-figure]', (els) =>
      els.map((el) => [el.getAttribute('data-figure') ?? '', (el.textContent ?? '').trim()] as [string, string]),
    ),
  );
  const api = await call<DashboardAnswer>(stack.alerter, 'GET', path, token);
  expect(api.status).toBe(200);
  const expected = expectedFigures(api.body);
  // Only the outcome columns of months with an outcome exist on both sides; every expected figure is shown.
  for (const [name, value] of expected) if (shown.has(name)) expect([name, shown.get(name)]).toEqual([name, value]);
  const missing = [...expected.keys()].filter((name) => !shown.has(name) && !/^outcomes\..*\.(?!total$)/.test(name));
  expect(missing).toEqual([]);
  return shown;
}

describe('supervisor dashboard', () => {
  it("shows a district supervisor exactly the API's figures for the district, with its charts", async () => {
    const { context, page } = await signInAt(browser, consoleService.url, TOKENS.district.token);
    const seen = watch(page, new URL(consoleService.url).origin);
    await page.getByRole('link', { name: '统计看板' }).click();
    await page.waitForURL('**/dashboard');
    await expectChartsDrawn(page);
    const shown = await expectApiFigures(page, '/v1/dashboard?days=30', TOKENS.district.token);
    // The seeded state, so the comparison is not of two empty pages.
    expect(shown.get(`${STREET_A}.open.watch`)).toBe('1');
    expect(shown.get(`${STREET_A}.open.warning`)).toBe('1');
    expect(shown.get(`${STREET_A}.open.action`)).toBe('0');
    expect(shown.get('total.open.warning')).toBe('2');
    expect(shown.get(`${STREET_A}.close.median`)).not.toBe('—');
    expect(await page.getByRole('columnheader', { name: '纳入医疗救助' }).count()).toBe(1);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'dashboard-district');

    // The 90-day period: the same comparison, charts drawn again.
    await page.getByRole('link', { name: '90', exact: true }).click();
    await page.waitForURL('**/dashboard?days=90');
    await expectChartsDrawn(page);
    await expectApiFigures(page, '/v1/dashboard?days=90', TOKENS.district.token);
    expect(seen.foreign).toEqual([]);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it("shows the city's figures to a city token, with its charts", async () => {
    const { context, page } = await signInAt(browser, consoleService.url, TOKENS.city.token);
    const seen = watch(page, new URL(consoleService.url).origin);
    await page.goto('/dashboard');
    await expectChartsDrawn(page);
    const shown = await expectApiFigures(page, '/v1/dashboard?days=30', TOKENS.city.token);
    expect(shown.get('total.open.warning')).toBe('2');
    expect(shown.get(`${STREET_B}.open.warning`)).toBe('1');
    await screenshot(page, 'dashboard-city');
    expect(seen.foreign).toEqual([]);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it("downloads the scope's alerts as the alerter's CSV for the user's token", async () => {
    const { context, page } = await signInAt(browser, consoleService.url, TOKENS.district.token);
    await page.goto('/dashboard');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '下载本范围全部预警（CSV）' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('alerts-310113.csv');
    const file = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of file) chunks.push(chunk as Buffer);
    const res = await fetch(`${stack.alerter.url}/v1/districts/310113/alerts.csv`, {
      headers: { authorization: `Bearer ${TOKENS.district.token}` },
    });
    const bytes = Buffer.concat(chunks);
    expect(bytes.equals(Buffer.from(await res.arrayBuffer()))).toBe(true);
    const body = bytes.toString('utf8');
    // Four alerts of the district, one row each under the header.
    expect(body.trim().split('\r\n')).toHaveLength(5);
    // A street of the district through its district's listing; another district's is the alerter's 403.
    const street = await context.request.get(`/exports/alerts.csv?district=310113&street=${STREET_B}`);
    expect(street.status()).toBe(200);
    expect((await street.text()).trim().split('\r\n')).toHaveLength(2);
    expect((await context.request.get('/exports/alerts.csv?district=310115')).status()).toBe(403);
    await context.close();
  });

  it('is not for a street token', async () => {
    const { context, page } = await signInAt(browser, consoleService.url, TOKENS.streetA.token);
    const res = await page.goto('/dashboard');
    expect(res?.status()).toBe(403);
    await context.close();
  });
});

describe('pipeline health', () => {
  it('shows an admin the queues and the link to bull-board', async () => {
    const { context, page } = await signInAt(browser, consoleService.url, TOKENS.admin.token);
    await page.getByRole('link', { name: '数据管道' }).click();
    await page.waitForURL('**/pipeline');
    const api = await call<{ queues: { queue: string; waiting: number }[] }>(
      stack.alerter,
      'GET',
      '/admin/pipeline',
      TOKENS.admin.token,
    );
    expect(api.body.queues.length).toBeGreaterThan(0);
    for (const q of api.body.queues)
      expect(await page.locator(`[data-figure="queue.${q.queue}.waiting"]`).textContent()).toBe(String(q.waiting));
    expect(await page.getByRole('link', { name: '打开队列面板（bull-board）' }).getAttribute('href')).toBe(
      '/admin/queues',
    );
    await screenshot(page, 'pipeline');
    await context.close();
  });

  it('is not for a district token', async () => {
    const { context, page } = await signInAt(browser, consoleService.url, TOKENS.district.token);
    expect((await page.goto('/pipeline'))?.status()).toBe(403);
    await context.close();
  });
});
