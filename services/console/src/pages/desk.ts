// A triage desk: the alerts of households of one that wait for a district (or the city) to decide where
// they belong, from the alerter's district or city listing narrowed to the desk's code. Overdue first, then
// by level and age (as a street's worklist), filtered by state, level and overdue, a page at a time; each
// alert opens on its page, where the desk assigns it to a street, hands it over or closes it.
import { CITY_TRIAGE_DESK, DISTRICT_CODE, LEVELS, triageDeskOf } from '@warnline/contracts';
import type { Alert, AlerterClient, ListingQuery, ListingScope } from '../alerter-client.ts';
import { html, type SafeHtml } from '../html.ts';
import { translateCode, type Translate } from '../i18n.ts';
import { shanghaiTime, yuan } from '../format.ts';
import { worklistOrder } from '../worklist-order.ts';
import { redirect, type NavItem, type Page, type PageResult, type Role } from './page.ts';
import { badge } from './worklist.ts';
import { csvHref } from './exports.ts';

const DESK_ROLES: readonly Role[] = ['district', 'city', 'admin'];
/** `''`: every state. The desk's own work is `triage`, the default. */
const DESK_STATES = ['triage', 'assigned', 'closed', ''] as const;
const ALERT_LEVELS = LEVELS.filter((l) => l !== 'none');
const OVERDUE_FILTERS = ['', 'true', 'false'] as const;
/** Rows per page of the desk; the listing is read whole (up to MAX_ALERTS) so overdue comes first across pages. */
export const DESK_PAGE_SIZE = 50;
const API_PAGE = 500;
const MAX_ALERTS = 5_000;

/** The desk of a path segment: `city` or a district code. */
export interface Desk {
  /** The path segment: `city` or the district code. */
  segment: string;
  /** The desk's street-shaped code (`<district>000`, `000000000`). */
  code: string;
  scope: ListingScope;
}

export function deskOf(segment: string): Desk | null {
  if (segment === 'city') return { segment, code: CITY_TRIAGE_DESK, scope: { kind: 'city' } };
  if (!DISTRICT_CODE.test(segment)) return null;
  return { segment, code: triageDeskOf(segment), scope: { kind: 'district', district: segment } };
}

export const deskNav: NavItem = {
  label: 'navDesk',
  roles: DESK_ROLES,
  href: (s) => (s.principal.role === 'district' ? `/desks/${s.principal.district}` : '/desks/city'),
};

async function listDesk(alerter: AlerterClient, desk: Desk, query: ListingQuery): Promise<Alert[]> {
  const alerts: Alert[] = [];
  for (let offset = 0; offset < MAX_ALERTS; offset += API_PAGE) {
    const page = await alerter.listing(desk.scope, { ...query, street: desk.code }, offset, API_PAGE);
    alerts.push(...page.alerts);
    if (alerts.length >= page.total || page.alerts.length === 0) break;
  }
  return alerts;
}

interface DeskFilter {
  state: (typeof DESK_STATES)[number];
  level: string;
  overdue: (typeof OVERDUE_FILTERS)[number];
}

function filterOf(query: Record<string, string>): DeskFilter {
  const state = query.state ?? 'triage';
  const overdue = query.overdue ?? '';
  return {
    state: (DESK_STATES as readonly string[]).includes(state) ? (state as DeskFilter['state']) : 'triage',
    level: (ALERT_LEVELS as readonly string[]).includes(query.level ?? '') ? query.level! : '',
    overdue: (OVERDUE_FILTERS as readonly string[]).includes(overdue) ? (overdue as DeskFilter['overdue']) : '',
  };
}

function filterForm(t: Translate, desk: Desk, f: DeskFilter): SafeHtml {
  const option = (value: string, label: string, selected: boolean) =>
    html`<option value="${value}" ${selected ? html` selected` : ''}>${label}</option>`;
  return html`<form method="get" action="/desks/${desk.segment}" class="filters">
    <label for="desk-state">${t('filterState')}</label>
    <select id="desk-state" name="state">
      ${DESK_STATES.map((s) => option(s, s === '' ? t('allStates') : translateCode(t, 'state', s), s === f.state))}
    </select>
    <label for="desk-level">${t('filterLevel')}</label>
    <select id="desk-level" name="level">
      ${option('', t('allLevels'), f.level === '')}
      ${ALERT_LEVELS.map((l) => option(l, translateCode(t, 'level', l), l === f.level))}
    </select>
    <label for="desk-overdue">${t('filterOverdue')}</label>
    <select id="desk-overdue" name="overdue">
      ${option('', t('overdueAny'), f.overdue === '')} ${option('true', t('overdueOnly'), f.overdue === 'true')}
      ${option('false', t('overdueNot'), f.overdue === 'false')}
    </select>
    <button type="submit">${t('filterApply')}</button>
  </form>`;
}

function pager(t: Translate, desk: Desk, f: DeskFilter, offset: number, total: number): SafeHtml {
  if (total <= DESK_PAGE_SIZE) return html``;
  const href = (o: number) =>
    `/desks/${desk.segment}?${new URLSearchParams({ state: f.state, level: f.level, overdue: f.overdue, offset: String(o) })}`;
  const last = Math.ceil(total / DESK_PAGE_SIZE);
  const current = Math.floor(offset / DESK_PAGE_SIZE) + 1;
  return html`<nav class="pager" aria-label="${t('pages')}">
    ${offset > 0 ? html`<a href="${href(Math.max(0, offset - DESK_PAGE_SIZE))}" rel="prev">${t('previousPage')}</a>` : ''}
    <span>${t('pageOf', { n: current, total: last })}</span>
    ${offset + DESK_PAGE_SIZE < total ? html`<a href="${href(offset + DESK_PAGE_SIZE)}" rel="next">${t('nextPage')}</a>` : ''}
  </nav>`;
}

export const deskHomePage: Page = {
  method: 'GET',
  url: '/desks',
  roles: DESK_ROLES,
  async handle({ session }) {
    const p = session.principal;
    return redirect(p.role === 'district' ? `/desks/${p.district}` : '/desks/city');
  },
};

export const deskPage: Page = {
  method: 'GET',
  url: '/desks/:desk',
  roles: DESK_ROLES,
  async handle({ params, query, alerter, t }): Promise<PageResult> {
    const desk = deskOf(params.desk ?? '');
    if (desk === null) return redirect('/desks');
    const f = filterOf(query);
    const listingQuery: ListingQuery = {
      ...(f.state ? { state: f.state } : {}),
      ...(f.level ? { level: f.level } : {}),
      ...(f.overdue ? { overdue: f.overdue } : {}),
    };
    const now = new Date();
    const all = (await listDesk(alerter, desk, listingQuery)).sort(worklistOrder(now));
    const requested = Number.parseInt(query.offset ?? '0', 10);
    const offset =
      Number.isFinite(requested) && requested > 0 && requested < all.length
        ? requested - (requested % DESK_PAGE_SIZE)
        : 0;
    const shown = all.slice(offset, offset + DESK_PAGE_SIZE);
    const title = desk.scope.kind === 'city' ? t('deskTitleCity') : t('deskTitle', { district: desk.segment });
    const rows = shown.map(
      (a) =>
        html`<tr>
          <td><a href="/alerts/${a.alertId}">${a.alertId}</a></td>
          <td><span class="badge level-${a.level}">${translateCode(t, 'level', a.level)}</span></td>
          <td>${translateCode(t, 'state', a.state)}</td>
          <td>${badge(t, a, now)}</td>
          <td class="num">${yuan(a.decision.burden12m)}</td>
          <td>${shanghaiTime(a.openedAt)}</td>
          <td>${a.assignedAlertId ? html`<a href="/alerts/${a.assignedAlertId}">${a.assignedAlertId}</a>` : '—'}</td>
        </tr>`,
    );
    const csv = csvHref(desk.scope, { ...listingQuery, street: desk.code });
    return {
      kind: 'html',
      title: `${title} · ${desk.code}`,
      body: html`${filterForm(t, desk, f)}
        <p class="count" role="status">
          <strong data-testid="alert-count">${all.length}</strong> ${t('alertsShown')} ·
          <a href="${csv}" download data-testid="csv-link">${t('downloadCsv')}</a>
        </p>
        ${
          all.length === 0
            ? html`<p>${t('noAlerts')}</p>`
            : html`<table class="worklist desk">
                  <caption class="visually-hidden">
                    ${title}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">${t('colAlert')}</th>
                      <th scope="col">${t('colLevel')}</th>
                      <th scope="col">${t('colState')}</th>
                      <th scope="col">${t('colTimeLeft')}</th>
                      <th scope="col">${t('colBurden')}</th>
                      <th scope="col">${t('colOpened')}</th>
                      <th scope="col">${t('colAssignedTo')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${rows}
                  </tbody>
                </table>
                ${pager(t, desk, f, offset, all.length)}`
        }`,
    };
  },
};
