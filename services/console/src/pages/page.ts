// What a page of the console is. Adding a page:
//   1. write `pages/<name>.ts` exporting one or more `Page`s (and a `NavItem` if it belongs in the top bar);
//   2. list them in `pages/index.ts` (PAGES, NAV);
//   3. add its labels to i18n.ts (Chinese and English), its route to the console's table in
//      docs/contracts.md and services/console/README.md;
//   4. give it a browser test (services/console/test/integration) with a screenshot.
// The server does the rest for every page: the session (or a redirect to sign in), the role check, the CSRF
// check of a POST, the layout, and the answer to an alerter error (401 signs out, 403/404/503 pages).
import type { FastifyRequest } from 'fastify';
import type { AlerterClient, AlerterSettings, Principal } from '../alerter-client.ts';
import type { SafeHtml } from '../html.ts';
import type { Lang, MessageKey, Translate } from '../i18n.ts';
import type { Session } from '../sessions.ts';

export type Role = Principal['role'];
export const ALL_ROLES: readonly Role[] = ['street', 'district', 'city', 'admin'];

export interface PageContext {
  request: FastifyRequest;
  session: Session;
  /** The alerter API with the signed-in user's token. */
  alerter: AlerterClient;
  /** Where the alerter is, for a page that passes one of its answers through unchanged (csv-download.ts). */
  alerterSettings: AlerterSettings;
  t: Translate;
  lang: Lang;
  params: Record<string, string>;
  query: Record<string, string>;
  /** The fields of a posted form (the CSRF field already checked and removed). */
  form: Record<string, string>;
}

export type PageResult =
  | {
      kind: 'html';
      title: string;
      body: SafeHtml;
      status?: number;
      /** Extra scripts and styles of /assets (e.g. the chart library). */
      scripts?: readonly string[];
      styles?: readonly string[];
    }
  | { kind: 'redirect'; location: string }
  /** A download: sent as it is, with `content-disposition: attachment`. */
  | { kind: 'file'; contentType: string; filename: string; body: Buffer };

export interface Page {
  method: 'GET' | 'POST';
  /** A fastify route (`/alerts/:alertId`). */
  url: string;
  /** The roles that may open it; others get the 403 page. */
  roles: readonly Role[];
  handle(ctx: PageContext): Promise<PageResult>;
}

/** An entry of the top bar, shown to the roles listed; `href` null hides it for that session. */
export interface NavItem {
  label: MessageKey;
  roles: readonly Role[];
  href(session: Session): string | null;
}

export const redirect = (location: string): PageResult => ({ kind: 'redirect', location });
