// The console in a real browser (Debian's Chromium through playwright-core) against a real alerter on the
// shared Redis: signing in per role, the worklist, the whole caseworker loop through the forms, the scope of
// a street token, CSRF, the language switch, labels and keyboard order. Each page's screenshot is kept in
// test-artifacts/screenshots.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueId, type RunningService } from '@warnline/test';
import {
  alertData,
  alertIdOf,
  openAlerterStack,
  STREET_A,
  STREET_B,
  TOKENS,
  type AlerterStack,
} from '../../../alerter/test/integration/support.ts';
import {
  focusableInDomOrder,
  launchChromium,
  startConsole,
  stopConsole,
  screenshot,
  signInAt,
  tabOrder,
  unlabelledControls,
} from './browser.ts';

let stack: AlerterStack;
let consoleService: RunningService;
let browser: Browser;
const consolePrefix = uniqueId('wlc');
const households = { action: uniqueId('HHA'), watch: uniqueId('HHW'), neighbour: uniqueId('HHB') };
const alertIds = { action: '', watch: '', neighbour: '' };

/** The 12 months of the fixture's window (2023-07..2024-06): 21,000 inpatient in November, 5,000 in March. */
const BURDEN_BY_MONTH = [
  '2023-07',
  '2023-08',
  '2023-09',
  '2023-10',
  '2023-11',
  '2023-12',
  '2024-01',
  '2024-02',
  '2024-03',
  '2024-04',
  '2024-05',
  '2024-06',
].map((month) => ({
  month,
  inpatient: month === '2023-11' ? '21000.00' : month === '2024-03' ? '4200.00' : '0.00',
  outpatient: month === '2024-03' ? '800.00' : '0.00',
}));

beforeAll(async () => {
  stack = await openAlerterStack();
  await stack.producer.raise(alertData({ householdId: households.watch, level: 'watch' }));
  await stack.producer.raise(
    alertData({
      householdId: households.action,
      level: 'action',
      burdenByMonth: BURDEN_BY_MONTH,
      findings: [
        {
          code: 'EXPENDITURE_POVERTY_2',
          level: 'action',
          citation: '沪府办规〔2022〕19号 四',
          message:
            '支出型贫困第二类：负担达到家庭年收入的 40%。 / Expenditure poverty, second kind: burden at 40% of income.',
        },
      ],
    }),
  );
  await stack.producer.raise(alertData({ householdId: households.neighbour, streetCode: STREET_B }));
  alertIds.watch = await alertIdOf(stack.alerter, STREET_A, households.watch);
  alertIds.action = await alertIdOf(stack.alerter, STREET_A, households.action);
  alertIds.neighbour = await alertIdOf(stack.alerter, STREET_B, households.neighbour);
  consoleService = await startConsole(stack.alerter.url, inject('redisUrl'), consolePrefix);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  expect(await stopConsole(consoleService, inject('redisUrl'), consolePrefix)).toBe(0);
  await stack?.close();
});

/** The console's session keys, a SCAN page at a time (the Redis is shared). */
async function sessionKeys(redis: Redis): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, page] = await redis.scan(cursor, 'MATCH', `${consolePrefix}:console:session:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...page);
  } while (cursor !== '0');
  return keys;
}

/** A browser context of its own (its own cookies), signed in with the token. */
function signIn(token: string): Promise<{ context: BrowserContext; page: Page }> {
  return signInAt(browser, consoleService.url, token);
}

describe('signing in', () => {
  it('refuses an unknown token, and keeps the token out of the page', async () => {
    const context = await browser.newContext({ baseURL: consoleService.url });
    const page = await context.newPage();
    await page.goto('/streets/' + STREET_A);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'login');
    await page.getByLabel('访问令牌').fill('not-a-token-of-anyone-0123');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('令牌无效');
    expect(await page.content()).not.toContain('not-a-token-of-anyone-0123');
    await context.close();
  });

  it('a street token lands on its street; the cookie is httpOnly and SameSite=Strict', async () => {
    const { context, page } = await signIn(TOKENS.streetA.token);
    expect(new URL(page.url()).pathname).toBe(`/streets/${STREET_A}`);
    await expect.poll(() => page.locator('.who').textContent()).toContain('st-a');
    const session = (await context.cookies()).find((c) => c.name === 'wl_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.content()).not.toContain(TOKENS.streetA.token);
    await context.close();
  });

  it('district and admin tokens choose a street, and both sign out', async () => {
    for (const token of [TOKENS.district.token, TOKENS.admin.token]) {
      const { context, page } = await signIn(token);
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await unlabelledControls(page)).toEqual([]);
      if (token === TOKENS.district.token) await screenshot(page, 'home-district');
      await page.getByLabel('街道代码（9 位）').fill(STREET_A);
      await page.getByRole('button', { name: '打开' }).click();
      await page.waitForURL(`**/streets/${STREET_A}`);
      await expect.poll(() => page.getByRole('link', { name: alertIds.action }).count()).toBe(1);
      if (token === TOKENS.district.token) await screenshot(page, 'home-district-worklist');
      await page.getByRole('button', { name: '退出登录' }).click();
      await page.waitForURL('**/login');
      await page.goto(`/streets/${STREET_A}`);
      expect(new URL(page.url()).pathname).toBe('/login');
      await context.close();
    }
  });
});

describe('sessions', () => {
  it('live in Redis for the idle time; when one expires, the next page asks to sign in again', async () => {
    const { context, page } = await signIn(TOKENS.streetA.token);
    const redis = new Redis(inject('redisUrl'));
    try {
      const keys = await sessionKeys(redis);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const ttl = await redis.ttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(30 * 60);
        // Redis keeps the token under a hash of the cookie, never the cookie itself.
        const cookie = (await context.cookies()).find((c) => c.name === 'wl_session')!.value;
        expect(key).not.toContain(cookie);
      }
      // The idle time running out is the key expiring: expire them all now.
      for (const key of keys) await redis.pexpire(key, 1);
      await expect.poll(async () => (await sessionKeys(redis)).length).toBe(0);
    } finally {
      await redis.quit();
    }
    await page.reload();
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('会话已过期');
    await context.close();
  });
});

describe('the street worklist', () => {
  it('shows the seeded alerts, overdue first, then by level: action before watch', async () => {
    const { context, page } = await signIn(TOKENS.streetA.token);
    const ids = await page.locator('table.worklist tbody tr td:first-child').allTextContents();
    expect(ids).toEqual([alertIds.action, alertIds.watch]);
    expect(await page.getByTestId('alert-count').textContent()).toBe('2');
    await expect.poll(() => page.locator('tbody tr').first().textContent()).toContain('须处置');
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'worklist-street');
    await page.getByLabel('等级').selectOption('watch');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/level=watch/);
    expect(await page.locator('table.worklist tbody tr td:first-child').allTextContents()).toEqual([alertIds.watch]);
    await context.close();
  });

  it('keyboard order: skip link, navigation, language, sign-out, then the filters in reading order', async () => {
    const { context, page } = await signIn(TOKENS.streetA.token);
    const order = await focusableInDomOrder(page);
    const pressed = await tabOrder(page, 8);
    expect(pressed).toEqual(order.slice(0, 8));
    expect(pressed[0]).toMatch(/^a:跳到正文/);
    expect(pressed.some((p) => p.startsWith('select#filter-state'))).toBe(true);
    await context.close();
  });

  it('switches to English and back', async () => {
    const { context, page } = await signIn(TOKENS.streetA.token);
    await page.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('Street alert worklist');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await screenshot(page, 'worklist-street-en');
    await page.getByRole('link', { name: '中文' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('街道预警工作清单');
    await context.close();
  });
});

describe('the alert page', () => {
  it('acknowledge → investigate → close through the forms, and the history shows each step', async () => {
    const { context, page } = await signIn(TOKENS.streetA.token);
    await page.getByRole('link', { name: alertIds.action }).click();
    await page.waitForURL(`**/alerts/${alertIds.action}`);
    expect(await page.locator('.findings').textContent()).toContain('支出型贫困第二类');
    expect(await page.locator('.findings').textContent()).toContain('沪府办规〔2022〕19号 四');
    expect(await page.getByTestId('burden12m').textContent()).toContain('26,000.00');
    expect(await page.getByTestId('ratio').textContent()).toContain('43.33%');
    // The chart is drawn (uPlot from the console's own assets) and the table beside it has the API's months.
    await expect.poll(() => page.locator('#burden-chart canvas').count()).toBeGreaterThan(0);
    const march = await page.locator('table.months tr', { hasText: '2024-03' }).allTextContents();
    expect(march[0]).toMatch(/2024-03\s*4,200\.00\s*800\.00/);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'alert-new');

    await page.getByLabel('备注（办结时必填）').fill('已接收预警');
    await page.getByRole('button', { name: '接收预警' }).click();
    await expect.poll(() => page.getByTestId('state').textContent()).toBe('已接收');
    await page.getByLabel('备注（办结时必填）').fill('入户摸排');
    await page.getByRole('button', { name: '开始摸排核实' }).click();
    await expect.poll(() => page.getByTestId('state').textContent()).toBe('摸排核实中');

    // Closing without an outcome is stopped by the form; the browser's own check keeps it from leaving.
    await page.getByLabel('备注（办结时必填）').fill('核实后纳入医疗救助');
    await page.getByLabel('处置结果').selectOption('assistance-granted');
    await page.getByRole('button', { name: '办结（分类处置）' }).click();
    await expect.poll(() => page.getByTestId('state').textContent()).toBe('已办结');
    const history = await page.getByTestId('history').locator('tbody tr').allTextContents();
    expect(history).toHaveLength(4);
    expect(history[1]).toContain('st-a');
    expect(history[1]).toContain('已接收预警');
    expect(history[3]).toContain('纳入医疗救助');
    expect(history[3]).toContain('核实后纳入医疗救助');
    await screenshot(page, 'alert-closed');

    // What the API answers for the same alert is what the page showed.
    const api = (await (
      await fetch(`${stack.alerter.url}/v1/alerts/${alertIds.action}`, {
        headers: { authorization: `Bearer ${TOKENS.streetA.token}` },
      })
    ).json()) as { state: string; outcome: string };
    expect(api).toMatchObject({ state: 'closed', outcome: 'assistance-granted' });
    await context.close();
  });

  it('an alert raised without monthly figures says so instead of drawing an empty chart', async () => {
    const { context, page } = await signIn(TOKENS.streetA.token);
    await page.goto(`/alerts/${alertIds.watch}`);
    expect(await page.locator('#burden-chart').count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('本预警未携带按月数据');
    await context.close();
  });

  it('keyboard order on the alert page: the transition form is reached field by field, in reading order', async () => {
    const { context, page } = await signIn(TOKENS.streetA.token);
    await page.goto(`/alerts/${alertIds.watch}`);
    const order = await focusableInDomOrder(page);
    const pressed = await tabOrder(page, order.length);
    expect(pressed).toEqual(order);
    const note = pressed.findIndex((p) => p.startsWith('textarea#t-acknowledged-note'));
    expect(note).toBeGreaterThan(0);
    expect(pressed[note + 1]).toMatch(/^button:接收预警/);
    await context.close();
  });

  it('a refused transition comes back as a message, not an error page', async () => {
    const { context, page } = await signIn(TOKENS.streetA.token);
    await page.goto(`/alerts/${alertIds.watch}`);
    // A second tab acknowledges first; the first tab's form is now stale.
    const other = await context.newPage();
    await other.goto(`/alerts/${alertIds.watch}`);
    await other.getByRole('button', { name: '接收预警' }).click();
    await expect.poll(() => other.getByTestId('state').textContent()).toBe('已接收');
    await page.getByRole('button', { name: '接收预警' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('已被他人更改');
    await context.close();
  });

  it("a street token cannot open another street's alert", async () => {
    const { context, page } = await signIn(TOKENS.streetA.token);
    const answer = await page.goto(`/alerts/${alertIds.neighbour}`);
    expect(answer?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('无权查看');
    expect(await page.content()).not.toContain(households.neighbour);
    await screenshot(page, 'forbidden');
    const list = await page.goto(`/streets/${STREET_B}`);
    expect(list?.status()).toBe(403);
    await context.close();
  });

  it('a form post without the session CSRF token is refused and changes nothing', async () => {
    const { context } = await signIn(TOKENS.streetB.token);
    const answer = await context.request.post(`/alerts/${alertIds.neighbour}/transitions`, {
      form: { to: 'acknowledged', note: 'forged' },
      maxRedirects: 0,
    });
    expect(answer.status()).toBe(403);
    const api = (await (
      await fetch(`${stack.alerter.url}/v1/alerts/${alertIds.neighbour}`, {
        headers: { authorization: `Bearer ${TOKENS.streetB.token}` },
      })
    ).json()) as { state: string };
    expect(api.state).toBe('new');
    await context.close();
  });
});
