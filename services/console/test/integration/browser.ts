// Debian's Chromium driven by playwright-core (no browser download): headless, no network of its own, a
// fresh profile per launch, and screenshots kept under test-artifacts/screenshots for people to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Redis } from 'ioredis';
import { freePort } from '@warnline/infra';
import { deleteKeysUnder, REPO_ROOT, startService, type RunningService } from '@warnline/test';

export const CHROMIUM = '/usr/bin/chromium';

/** What the browser may do on its own: nothing beyond the pages the test opens. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A new browser; playwright gives every launch a fresh temporary user-data-dir, removed on close. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-artifacts', 'screenshots');

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Form controls without a label: every input (but hidden ones), select and textarea must have a <label>
 * or an aria-label. Returns a description of each offender.
 */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.$$eval('input:not([type=hidden]), select, textarea, meter', (els) =>
    els
      .filter((el) => {
        const labels = (el as unknown as { labels: { length: number } | null }).labels;
        return (
          (!labels || labels.length === 0) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')
        );
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** The focusable elements of a page in DOM order, described as `tag#id:text` (as tabOrder does). */
export function focusableInDomOrder(page: Page): Promise<string[]> {
  return page.$$eval('a[href], button, input:not([type=hidden]), select, textarea, [tabindex="0"]', (els) =>
    els.map(
      (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}:${(el.textContent ?? '').trim().slice(0, 30)}`,
    ),
  );
}

/** Evaluated in the page: the focused element, described as focusableInDomOrder describes elements. */
const DESCRIBE_ACTIVE_ELEMENT = `(() => {
  const el = document.activeElement;
  if (!el) return '';
  return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ':' + (el.textContent || '').trim().slice(0, 30);
})()`;

/** Presses Tab `count` times and returns what had focus after each press, described like focusableInDomOrder. */
export async function tabOrder(page: Page, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate<string>(DESCRIBE_ACTIVE_ELEMENT));
  }
  return seen;
}

/** A browser context of its own (its own cookies) on the console at `baseURL`, signed in with the token. */
export async function signInAt(
  browser: Browser,
  baseURL: string,
  token: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('访问令牌').fill(token);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return { context, page };
}

/** The console as a process in front of an alerter, its sessions under a Redis prefix of their own. */
export async function startConsole(alerterUrl: string, redisUrl: string, prefix: string): Promise<RunningService> {
  const port = await freePort();
  return startService(
    'console',
    {
      ALERTER_URL: alerterUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      CONSOLE_PORT: String(port),
      CONSOLE_IDLE_MINUTES: '30',
      LOG_LEVEL: 'info',
    },
    port,
  );
}

/** Stops the console and deletes its sessions; the console's exit code (0 when it stopped cleanly). */
export async function stopConsole(
  service: RunningService | undefined,
  redisUrl: string,
  prefix: string,
): Promise<number | null | undefined> {
  const code = await service?.stop();
  const redis = new Redis(redisUrl);
  await deleteKeysUnder(redis, [prefix]);
  await redis.quit();
  return code;
}
