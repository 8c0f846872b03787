// The frame of every page: language, header with the signed-in user, navigation, sign-out form, and the
// page's own content in <main>. Pages return their content; this module wraps it.
import { html, type SafeHtml } from './html.ts';
import type { Lang, Translate } from './i18n.ts';
import type { Session } from './sessions.ts';
import type { NavItem } from './pages/page.ts';

export interface LayoutInput {
  lang: Lang;
  t: Translate;
  title: string;
  body: SafeHtml;
  /** The path of this page (for the language switch to come back to). */
  path: string;
  session: Session | null;
  nav: readonly NavItem[];
  /** Scripts of /assets to load after the content (the chart library only where a page draws one). */
  scripts?: readonly string[];
  styles?: readonly string[];
}

function roleLabel(t: Translate, session: Session): string {
  const p = session.principal;
  if (p.role === 'street') return `${t('roleStreet')} ${p.street}`;
  if (p.role === 'district') return `${t('roleDistrict')} ${p.district}`;
  if (p.role === 'city') return t('roleCity');
  return t('roleAdmin');
}

export function layout(input: LayoutInput): string {
  const { t, session } = input;
  const otherLang = input.lang === 'zh' ? 'en' : 'zh';
  const nav = session
    ? input.nav
        .filter((item) => item.roles.includes(session.principal.role))
        .map((item) => {
          const href = item.href(session);
          return href ? html`<li><a href="${href}">${t(item.label)}</a></li>` : '';
        })
    : [];
  return html`<!doctype html>
    <html lang="${input.lang === 'zh' ? 'zh-CN' : 'en'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${input.title} · ${t('appName')}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        ${(input.styles ?? []).map((s) => html`<link rel="stylesheet" href="${s}" />`)}
      </head>
      <body>
        <a class="skip" href="#main">${t('skipToContent')}</a>
        <header class="top">
          <span class="brand">${t('appName')}</span>
          <nav aria-label="${t('navHome')}">
            <ul>
              ${nav}
            </ul>
          </nav>
          <span class="spacer"></span>
          <a
            class="lang"
            href="/lang?to=${otherLang}&amp;back=${encodeURIComponent(input.path)}"
            lang="${otherLang === 'zh' ? 'zh-CN' : 'en'}"
            >${t('language')}</a
          >
          ${
            session
              ? html`<span class="who">${t('signedInAs')}: ${session.principal.name} (${roleLabel(t, session)})</span>
                  <form method="post" action="/logout" class="inline">
                    <input type="hidden" name="_csrf" value="${session.csrf}" /><button type="submit">
                      ${t('signOut')}
                    </button>
                  </form>`
              : ''
          }
        </header>
        <main id="main" tabindex="-1">
          <h1>${input.title}</h1>
          ${input.body}
        </main>
        ${(input.scripts ?? []).map((s) => html`<script src="${s}"></script>`)}
        <script src="/assets/app.js"></script>
      </body>
    </html> `.value;
}
