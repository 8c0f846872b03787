// The triage desks, the audited reveal and the CSV export in a real browser (Debian's Chromium) against a
// real alerter, with ingest as the identity service, on the shared Redis, BullMQ and Kafka: a district
// assigns a household of one to a street through the form and the street then works it; a desk hands a
// not-resident over to another district; a street token is refused the desk; a caseworker reveals the
// identities of an alert with a stated purpose (shown once, never in the console's log, never in Redis) and
// the history shows the request; the city and admin get no reveal button; the CSV arrives byte for byte.
// Screenshots: test-artifacts/screenshots/triage-desk.png, triage-assign.png, reveal.png.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AlertViewSchema, type AlertAuditEvent } from '@warnline/contracts';
import { residentId, uniqueId, type RunningService } from '@warnline/test';
import {
  alertData,
  alertIdOf,
  call,
  openAlerterStack,
  STREET_A,
  TOKENS,
  triageData,
  type AlerterStack,
} from '../../../alerter/test/integration/support.ts';
import {
  focusableInDomOrder,
  launchChromium,
  screenshot,
  signInAt,
  startConsole,
  stopConsole,
  tabOrder,
  unlabelledControls,
} from './browser.ts';

const DESK = '310113000';
const OTHER_DESK = '310115000';
const PURPOSE = '入户核查医疗负担，确认家庭成员';

let stack: AlerterStack;
let consoleService: RunningService;
let browser: Browser;
const consolePrefix = uniqueId('wlc');
/** Identity numbers this file gives ingest: they may appear on the reveal page and nowhere else. */
const personIds = [residentId(711), residentId(712), residentId(713)];
const ids = { assign: '', handOver: '', street: '' };

beforeAll(async () => {
  stack = await openAlerterStack({ reveal: true });
  const [assignee, member1, member2] = await stack.ingest!.keep(personIds);
  const assign = triageData('310113', { householdId: assignee!, level: 'action' });
  const handOver = triageData('310113', { level: 'watch' });
  const street = alertData({ level: 'warning', members: [member1!, member2!] });
  for (const data of [assign, handOver, street]) await stack.producer.raise(data);
  ids.assign = await alertIdOf(stack.alerter, DESK, assign.householdId, 'triage');
  ids.handOver = await alertIdOf(stack.alerter, DESK, handOver.householdId, 'triage');
  ids.street = await alertIdOf(stack.alerter, STREET_A, street.householdId);
  consoleService = await startConsole(stack.alerter.url, inject('redisUrl'), consolePrefix);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  const log = consoleService?.output() ?? '';
  expect(await stopConsole(consoleService, inject('redisUrl'), consolePrefix)).toBe(0);
  // The console never writes an identity number to its log.
  for (const id of personIds) expect(log).not.toContain(id);
  expect(await stack?.close()).toBe(0);
});

const signIn = (token: string): Promise<{ context: BrowserContext; page: Page }> =>
  signInAt(browser, consoleService.url, token);

const api = async <T>(path: string, token: string = TOKENS.admin.token) => {
  const answer = await call<T>(stack.alerter, 'GET', path, token);
  expect(answer.status).toBe(200);
  return answer.body;
};
const historyOf = async (alertId: string) =>
  (await api<{ history: AlertAuditEvent[] }>(`/v1/alerts/${alertId}/history`)).history;

describe('the triage desk', () => {
  it('a district sees its desk, assigns an alert to a street through the form; the street works it', async () => {
    const { context, page } = await signIn(TOKENS.district.token);
    await page.getByRole('link', { name: '分派台' }).click();
    await page.waitForURL('**/desks/310113');
    const rows = await page.locator('table.desk tbody tr td:first-child').allTextContents();
    expect(rows).toContain(ids.assign);
    expect(rows).toContain(ids.handOver);
    // Overdue first, then by level: the action alert before the watch one (neither overdue yet).
    expect(rows.indexOf(ids.assign)).toBeLessThan(rows.indexOf(ids.handOver));
    expect(await unlabelledControls(page)).toEqual([]);
    const order = await focusableInDomOrder(page);
    expect(await tabOrder(page, order.length)).toEqual(order);
    await screenshot(page, 'triage-desk');

    // The filter narrows the desk as the API does.
    await page.getByLabel('等级').selectOption('watch');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/level=watch/);
    expect(await page.locator('table.desk tbody tr td:first-child').allTextContents()).toEqual([ids.handOver]);

    await page.goto(`/alerts/${ids.assign}`);
    expect(await unlabelledControls(page)).toEqual([]);
    // The chooser offers the district's streets only.
    const streets = await page
      .locator('#t-assigned-street option')
      .evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? '').filter(Boolean));
    expect(streets).toContain(STREET_A);
    expect(streets.every((s) => s.startsWith('310113') && !s.endsWith('000'))).toBe(true);
    await page.getByLabel('分派到街道', { exact: true }).selectOption(STREET_A);
    await page.locator('#t-assigned-note').fill('户籍核实在本街道');
    await screenshot(page, 'triage-assign');
    await page.getByRole('button', { name: '分派到街道' }).click();
    await expect.poll(() => page.getByTestId('state').textContent()).toBe('已分派');
    const streetAlertId = (await page.getByTestId('assigned-to').locator('a').textContent())!.trim();
    expect(streetAlertId.startsWith(`${STREET_A}-`)).toBe(true);
    expect((await api<{ assignedAlertId: string }>(`/v1/alerts/${ids.assign}`)).assignedAlertId).toBe(streetAlertId);
    await context.close();

    const street = await signIn(TOKENS.streetA.token);
    await expect
      .poll(() => street.page.locator('table.worklist tbody tr td:first-child').allTextContents())
      .toContain(streetAlertId);
    await street.page.getByRole('link', { name: streetAlertId }).click();
    await street.page.waitForURL(`**/alerts/${streetAlertId}`);
    const history = await street.page.getByTestId('history').locator('tbody tr').allTextContents();
    expect(history.some((row) => row.includes('关联') && row.includes(ids.assign))).toBe(true);
    expect(await street.page.getByTestId('linked').textContent()).toContain(ids.assign);
    await street.context.close();
  });

  it('hands a not-resident over to another district, whose desk then has it', async () => {
    const { context, page } = await signIn(TOKENS.district.token);
    await page.goto(`/alerts/${ids.handOver}`);
    await page.getByLabel('移交到区（6 位区划代码）').fill('310115');
    await page.locator('#t-handover-note').fill('本人长期居住浦东新区');
    await page.getByRole('button', { name: '非本区居民，移交' }).click();
    await expect.poll(() => page.getByTestId('state').textContent()).toBe('已办结');
    const handedTo = (await page.getByTestId('assigned-to').locator('a').textContent())!.trim();
    expect(handedTo.startsWith(`${OTHER_DESK}-`)).toBe(true);
    const history = await historyOf(ids.handOver);
    expect(history.at(-1)).toMatchObject({ action: 'linked', relatedAlertId: handedTo });
    await context.close();

    const other = await signIn(TOKENS.otherDistrict.token);
    await other.page.getByRole('link', { name: '分派台' }).click();
    await other.page.waitForURL('**/desks/310115');
    expect(await other.page.locator('table.desk tbody tr td:first-child').allTextContents()).toContain(handedTo);
    // Another district's desk is outside this token's scope.
    expect((await other.page.goto('/desks/310113'))?.status()).toBe(403);
    await other.context.close();
  });

  it("a street user has no desk: the page and the desk's CSV answer 403", async () => {
    const { context, page } = await signIn(TOKENS.streetA.token);
    expect(await page.getByRole('link', { name: '分派台' }).count()).toBe(0);
    const answer = await page.goto('/desks/310113');
    expect(answer?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('无权查看');
    expect((await page.goto('/exports/alerts.csv?district=310113'))?.status()).toBe(403);
    await context.close();
  });

  it('the city sees the city desk and any district desk', async () => {
    const { context, page } = await signIn(TOKENS.city.token);
    await page.getByRole('link', { name: '分派台' }).click();
    await page.waitForURL('**/desks/city');
    expect(await page.locator('h1').textContent()).toContain('000000000');
    expect((await page.goto('/desks/310113'))?.status()).toBe(200);
    await context.close();
  });
});

describe('the CSV export', () => {
  it("the desk's link downloads the alerter's CSV of the same filter, byte for byte", async () => {
    const { context, page } = await signIn(TOKENS.district.token);
    await page.goto('/desks/310113?state=&level=&overdue=');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-link').click()]);
    const bytes = readFileSync((await download.path())!);
    expect(download.suggestedFilename()).toBe('alerts-310113.csv');
    const direct = await fetch(`${stack.alerter.url}/v1/districts/310113/alerts.csv?street=${DESK}`, {
      headers: { authorization: `Bearer ${TOKENS.district.token}` },
    });
    expect(Buffer.compare(bytes, Buffer.from(await direct.arrayBuffer()))).toBe(0);
    // Parsed back, its rows are the API's alerts of the filter.
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    const [header, ...lines] = text.split('\r\n').filter((l) => l !== '');
    expect(header!.split(',').slice(0, 6)).toEqual([
      '告警编号 alertId',
      '区 districtCode',
      '街镇 streetCode',
      '户 householdId',
      '状态 state',
      '等级 level',
    ]);
    // The first six columns hold codes only (no quoting): alert, district, street, household, state, level.
    const csvRows = lines.map((l) => l.split(',').slice(0, 6));
    const listed = await api<{ alerts: unknown[] }>(`/v1/districts/310113/alerts?street=${DESK}&limit=500`);
    expect(csvRows).toEqual(
      listed.alerts
        .map((a) => AlertViewSchema.parse(a))
        .map((a) => [a.alertId, a.districtCode, a.streetCode, a.householdId, a.state, a.level]),
    );
    const csvIds = csvRows.map((r) => r[0]);
    expect(csvIds).toContain(ids.assign);
    // The same export through the console's route answers as an attachment.
    const answer = await context.request.get(`/exports/alerts.csv?district=310113&street=${DESK}`);
    expect(answer.headers()['content-disposition']).toMatch(/^attachment/);
    expect(Buffer.compare(await answer.body(), bytes)).toBe(0);
    await context.close();
  });

  it("a district user's worklist links the street's CSV", async () => {
    const { context, page } = await signIn(TOKENS.district.token);
    await page.goto(`/streets/${STREET_A}?state=new`);
    const href = await page.getByTestId('csv-link').getAttribute('href');
    expect(href).toBe(`/exports/alerts.csv?district=310113&street=${STREET_A}&state=new`);
    const answer = await context.request.get(href!);
    expect(answer.status()).toBe(200);
    expect((await answer.body()).toString('utf8')).toContain(ids.street);
    await context.close();
  });
});

describe('revealing identities', () => {
  it('a street caseworker states a purpose and sees the identities once; the history records the request', async () => {
    const { context, page } = await signIn(TOKENS.streetA.token);
    await page.goto(`/alerts/${ids.street}`);
    expect(await unlabelledControls(page)).toEqual([]);
    const order = await focusableInDomOrder(page);
    const pressed = await tabOrder(page, order.length);
    expect(pressed).toEqual(order);
    const purpose = pressed.findIndex((p) => p.startsWith('input#reveal-purpose'));
    expect(pressed[purpose + 1]).toMatch(/^button:查看身份证件号码/);

    await page.getByLabel('查看目的（至少 5 个字）').fill(PURPOSE);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/alerts/${ids.street}/reveal`)),
      page.getByRole('button', { name: '查看身份证件号码' }).click(),
    ]);
    expect(answer.status()).toBe(200);
    expect(answer.headers()['cache-control']).toBe('no-store');
    const shown = await page.getByTestId('person-id').allTextContents();
    expect(shown.sort()).toEqual([personIds[1], personIds[2]].sort());
    await screenshot(page, 'reveal');

    // Nowhere else: not in the console's session records.
    const redis = new Redis(inject('redisUrl'));
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${consolePrefix}:console:session:*`, 'COUNT', 1000);
        keys.push(...batch);
        cursor = next;
      } while (cursor !== '0');
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const value = (await redis.get(key)) ?? '';
        for (const id of personIds) expect(value).not.toContain(id);
        // The alerter token is sealed, not stored.
        for (const token of Object.values(TOKENS)) expect(value).not.toContain(token.token);
      }
    } finally {
      await redis.quit();
    }

    await page.getByRole('link', { name: '返回预警' }).click();
    await page.waitForURL(`**/alerts/${ids.street}`);
    const history = await page.getByTestId('history').locator('tbody tr').allTextContents();
    expect(history.some((row) => row.includes('查看身份') && row.includes(PURPOSE))).toBe(true);
    for (const id of personIds) expect(await page.content()).not.toContain(id);
    expect((await historyOf(ids.street)).at(-1)).toMatchObject({ action: 'reveal-requested', purpose: PURPOSE });
    await context.close();
  });

  it('a purpose of blanks comes back as the API refusal in words', async () => {
    const { context, page } = await signIn(TOKENS.district.token);
    await page.goto(`/alerts/${ids.street}`);
    // Five characters for the browser's check; blanks for the alerter, which trims.
    await page.getByLabel('查看目的（至少 5 个字）').fill('  ab  ');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/reveal')),
      page.getByRole('button', { name: '查看身份证件号码' }).click(),
    ]);
    expect(answer.status()).toBe(400);
    expect(await page.getByTestId('reveal-error').textContent()).toContain('请填写查看目的');
    expect(await page.getByTestId('identities').count()).toBe(0);
    await context.close();
  });

  it('past the hourly limit, the refusal says when to try again (retry-after in minutes)', async () => {
    // The district token's reveals this hour, straight to the API, up to the limit (20 by default).
    for (let i = 0; i < 20; i++) {
      const r = await call(stack.alerter, 'POST', `/v1/alerts/${ids.street}/reveal`, TOKENS.district.token, {
        purpose: PURPOSE,
      });
      if (r.status === 429) break;
      expect(r.status).toBe(200);
    }
    const { context, page } = await signIn(TOKENS.district.token);
    await page.goto(`/alerts/${ids.street}`);
    await page.getByLabel('查看目的（至少 5 个字）').fill(PURPOSE);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/reveal')),
      page.getByRole('button', { name: '查看身份证件号码' }).click(),
    ]);
    expect(answer.status()).toBe(429);
    const text = await page.getByTestId('reveal-error').textContent();
    expect(text).toContain('本小时查看次数已达上限');
    expect(text).toMatch(/请约 \d+ 分钟后再试/);
    for (const id of personIds) expect(await page.content()).not.toContain(id);
    await context.close();
  });

  it('the city and admin get no reveal button; a forged post gets the API refusal', async () => {
    for (const token of [TOKENS.city.token, TOKENS.admin.token]) {
      const { context, page } = await signIn(token);
      await page.goto(`/alerts/${ids.street}`);
      expect(await page.getByTestId('state').count()).toBe(1);
      expect(await page.getByRole('button', { name: '查看身份证件号码' }).count()).toBe(0);
      const csrf = await page.locator('input[name=_csrf]').first().inputValue();
      const forged = await context.request.post(`/alerts/${ids.street}/reveal`, {
        form: { _csrf: csrf, purpose: PURPOSE },
      });
      expect(forged.status()).toBe(403);
      expect(await forged.text()).toContain('此操作不在您的权限范围内');
      await context.close();
    }
  });
});
