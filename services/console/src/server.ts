// The console's HTTP server: sign-in and sign-out, the language switch, the assets, and every page of
// pages/index.ts wrapped in the same checks (session, role, CSRF on POST) and the same layout.
import { timingSafeEqual } from 'node:crypto';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { Logger } from 'pino';
import { AlerterError, alerterClient, type AlerterSettings } from './alerter-client.ts';
import { loadAssets } from './assets.ts';
import { html, type SafeHtml } from './html.ts';
import { langOf, translator, type Lang, type MessageKey, type Translate } from './i18n.ts';
import { layout } from './layout.ts';
import { NAV, PAGES } from './pages/index.ts';
import type { Page, PageResult } from './pages/page.ts';
import { randomToken, type Session, type SessionStore } from './sessions.ts';

export const SESSION_COOKIE = 'wl_session';
const LOGIN_CSRF_COOKIE = 'wl_login';
const LANG_COOKIE = 'wl_lang';

export interface ConsoleDeps {
  logger: Logger;
  sessions: SessionStore;
  alerter: AlerterSettings;
  /** Cookies with `Secure` (the console is reached over https). */
  secureCookies: boolean;
}

/** Everything a page may load comes from the console itself; no inline script, no frame, no other origin. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** A local path to come back to, never another origin (`//host`, `/\host`, a scheme). */
export function localPath(candidate: string | undefined, fallback = '/'): string {
  if (!candidate || !candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\'))
    return fallback;
  return candidate;
}

function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const stringRecord = (value: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
};

export function buildConsole(deps: ConsoleDeps): FastifyInstance {
  const { sessions } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // No per-request lines: URLs name alerts and households, and form bodies carry tokens.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
  });
  void app.register(cookie);
  void app.register(formbody);

  const cookieOptions = { httpOnly: true, sameSite: 'strict' as const, secure: deps.secureCookies, path: '/' };
  const assets = loadAssets();

  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('content-security-policy', CSP);
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    return payload;
  });

  const lang = (request: FastifyRequest): Lang => langOf(request.cookies[LANG_COOKIE]);

  function sendPage(
    reply: FastifyReply,
    request: FastifyRequest,
    session: Session | null,
    page: { title: string; body: SafeHtml; status?: number; scripts?: readonly string[]; styles?: readonly string[] },
  ): FastifyReply {
    const l = lang(request);
    return reply
      .code(page.status ?? 200)
      .type('text/html; charset=utf-8')
      .send(
        layout({
          lang: l,
          t: translator(l),
          title: page.title,
          body: page.body,
          path: request.url,
          session,
          nav: NAV,
          scripts: page.scripts,
          styles: page.styles,
        }),
      );
  }

  function sendMessage(
    reply: FastifyReply,
    request: FastifyRequest,
    session: Session | null,
    status: number,
    title: MessageKey,
    text: MessageKey,
  ): FastifyReply {
    const t = translator(lang(request));
    const home = session ? '/' : '/login';
    return sendPage(reply, request, session, {
      status,
      title: t(title),
      body: html`<p>${t(text)}</p>
        <p><a href="${home}">${t('back')}</a></p>`,
    });
  }

  const toLogin = (request: FastifyRequest, ended: boolean) =>
    `/login?${ended ? 'ended=1&' : ''}next=${encodeURIComponent(request.method === 'GET' ? request.url : '/')}`;

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/assets/*', async (request, reply) => {
    const asset = assets.get((request.params as { '*': string })['*']);
    if (!asset) return sendMessage(reply, request, null, 404, 'notFoundTitle', 'notFound');
    return reply.header('cache-control', 'public, max-age=3600').type(asset.contentType).send(asset.body);
  });

  app.get('/lang', async (request, reply) => {
    const query = stringRecord(request.query);
    void reply.setCookie(LANG_COOKIE, query.to === 'en' ? 'en' : 'zh', {
      ...cookieOptions,
      maxAge: 365 * 86_400,
    });
    return reply.redirect(localPath(query.back), 303);
  });

  function loginPage(request: FastifyRequest, reply: FastifyReply, t: Translate, status: number, problem?: MessageKey) {
    const query = stringRecord(request.query);
    const csrf = randomToken();
    void reply.setCookie(LOGIN_CSRF_COOKIE, csrf, cookieOptions);
    const notice = problem ?? (query.ended ? 'sessionEnded' : undefined);
    return sendPage(reply, request, null, {
      status,
      title: t('signIn'),
      body: html`${notice ? html`<p class="notice error" role="alert">${t(notice)}</p>` : ''}
        <form method="post" action="/login" class="card login">
          <input type="hidden" name="_csrf" value="${csrf}" />
          <input type="hidden" name="next" value="${localPath(query.next)}" />
          <label for="token">${t('tokenLabel')}</label>
          <input id="token" name="token" type="password" autocomplete="off" required aria-describedby="token-hint" />
          <p id="token-hint" class="muted">${t('tokenHint')}</p>
          <button type="submit">${t('signIn')}</button>
        </form>`,
    });
  }

  app.get('/login', async (request, reply) => {
    if (await sessions.touch(request.cookies[SESSION_COOKIE])) return reply.redirect('/', 303);
    return loginPage(request, reply, translator(lang(request)), 200);
  });

  app.post('/login', async (request, reply) => {
    const t = translator(lang(request));
    const form = stringRecord(request.body);
    if (!sameSecret(form._csrf, request.cookies[LOGIN_CSRF_COOKIE]))
      return sendMessage(reply, request, null, 403, 'csrfTitle', 'csrf');
    const token = (form.token ?? '').trim();
    let principal;
    try {
      principal = await alerterClient(deps.alerter, token).me();
    } catch (err) {
      if (err instanceof AlerterError && err.status === 401) return loginPage(request, reply, t, 401, 'loginFailed');
      request.log.warn({ code: (err as AlerterError).code }, 'sign-in: the alerter did not confirm the token');
      return loginPage(request, reply, t, 503, 'loginUnavailable');
    }
    const id = await sessions.create(token, principal, new Date());
    void reply.clearCookie(LOGIN_CSRF_COOKIE, cookieOptions);
    void reply.setCookie(SESSION_COOKIE, id, cookieOptions);
    request.log.info({ user: principal.name, role: principal.role }, 'signed in');
    return reply.redirect(localPath(form.next), 303);
  });

  app.post('/logout', async (request, reply) => {
    const id = request.cookies[SESSION_COOKIE];
    const session = await sessions.touch(id);
    if (session && !sameSecret(stringRecord(request.body)._csrf, session.csrf))
      return sendMessage(reply, request, session, 403, 'csrfTitle', 'csrf');
    await sessions.destroy(id);
    void reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.redirect('/login', 303);
  });

  async function servePage(page: Page, request: FastifyRequest, reply: FastifyReply) {
    const id = request.cookies[SESSION_COOKIE];
    const session = await sessions.touch(id);
    if (!session) return reply.redirect(toLogin(request, id !== undefined), 303);
    if (!page.roles.includes(session.principal.role))
      return sendMessage(reply, request, session, 403, 'forbiddenTitle', 'forbidden');
    const form = page.method === 'POST' ? stringRecord(request.body) : {};
    if (page.method === 'POST') {
      if (!sameSecret(form._csrf, session.csrf)) return sendMessage(reply, request, session, 403, 'csrfTitle', 'csrf');
      delete form._csrf;
    }
    const l = lang(request);
    let result: PageResult;
    try {
      result = await page.handle({
        request,
        session,
        alerter: alerterClient(deps.alerter, session.token),
        alerterSettings: deps.alerter,
        t: translator(l),
        lang: l,
        params: stringRecord(request.params),
        query: stringRecord(request.query),
        form,
      });
    } catch (err) {
      if (!(err instanceof AlerterError)) throw err;
      if (err.status === 401) {
        // The token was withdrawn from the alerter: the session ends with it.
        await sessions.destroy(id);
        return reply.redirect(toLogin(request, true), 303);
      }
      if (err.status === 403) return sendMessage(reply, request, session, 403, 'forbiddenTitle', 'forbidden');
      if (err.status === 404) return sendMessage(reply, request, session, 404, 'notFoundTitle', 'notFound');
      request.log.warn({ status: err.status, code: err.code }, 'the alerter failed a page');
      return sendMessage(reply, request, session, 503, 'unavailableTitle', 'unavailable');
    }
    if (result.kind === 'redirect') return reply.redirect(localPath(result.location), 303);
    if (result.kind === 'file')
      return reply
        .type(result.contentType)
        .header('content-disposition', `attachment; filename="${result.filename}"`)
        .send(result.body);
    return sendPage(reply, request, session, result);
  }

  for (const page of PAGES)
    app.route({ method: page.method, url: page.url, handler: (request, reply) => servePage(page, request, reply) });

  app.setNotFoundHandler(async (request, reply) => {
    const session = await sessions.touch(request.cookies[SESSION_COOKIE]);
    return sendMessage(reply, request, session, 404, 'notFoundTitle', 'notFound');
  });
  return app;
}
