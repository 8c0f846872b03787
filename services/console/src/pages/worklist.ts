// A street's worklist: its alerts from the alerter (one state or every open state), overdue first, then by
// level and age, with badges for the level and the time left, and filters by state and level.
import { ALERT_STATES, LEVELS, STREET_CODE } from '@warnline/contracts';
import type { Alert, AlerterClient } from '../alerter-client.ts';
import { html } from '../html.ts';
import { translateCode, type Translate } from '../i18n.ts';
import { percent, shanghaiTime, yuan } from '../format.ts';
import { timeLeft, worklistOrder } from '../worklist-order.ts';
import { csvHref } from './exports.ts';
import { ALL_ROLES, type NavItem, type Page, type PageResult } from './page.ts';

/** `open` is the caseworker's default: every state but closed. */
const STATE_FILTERS = ['open', ...ALERT_STATES, 'overdue'] as const;
type StateFilter = (typeof STATE_FILTERS)[number];
const OPEN_STATES = ALERT_STATES.filter((s) => s !== 'closed');
const ALERT_LEVELS = LEVELS.filter((l) => l !== 'none');

/** The API's largest page; a street with more alerts in one state than MAX_PER_STATE shows the first ones. */
const PAGE_SIZE = 500;
const MAX_PER_STATE = 5_000;

export const worklistNav: NavItem = {
  label: 'navWorklist',
  roles: ['street'],
  href: (s) => (s.principal.role === 'street' ? `/streets/${s.principal.street}` : null),
};

async function listState(alerter: AlerterClient, street: string, state: string): Promise<Alert[]> {
  const alerts: Alert[] = [];
  for (let offset = 0; offset < MAX_PER_STATE; offset += PAGE_SIZE) {
    const page = await alerter.list(street, state, offset, PAGE_SIZE);
    alerts.push(...page.alerts);
    if (alerts.length >= page.total || page.alerts.length === 0) break;
  }
  return alerts;
}

/** The time-left badge of an alert (overdue, hours or days to its next limit). */
export function badge(t: Translate, alert: Alert, now: Date) {
  const left = timeLeft(alert, now);
  if (left.kind === 'overdue') return html`<span class="badge due-over">${t('overdue')}</span>`;
  if (left.kind === 'none') return html`<span class="badge">${t('noDeadline')}</span>`;
  const text = left.kind === 'hours' ? t('hoursLeft', { n: left.n }) : t('daysLeft', { n: left.n });
  return html`<span class="badge ${left.kind === 'hours' && left.n < 24 ? 'due-soon' : 'due-ok'}">${text}</span>`;
}

function filterForm(t: Translate, street: string, state: StateFilter, level: string) {
  const option = (value: string, label: string, selected: boolean) =>
    html`<option value="${value}" ${selected ? html` selected` : ''}>${label}</option>`;
  return html`<form method="get" action="/streets/${street}" class="filters">
    <label for="filter-state">${t('filterState')}</label>
    <select id="filter-state" name="state">
      ${STATE_FILTERS.map((s) => option(s, s === 'open' ? t('allOpen') : translateCode(t, 'state', s), s === state))}
    </select>
    <label for="filter-level">${t('filterLevel')}</label>
    <select id="filter-level" name="level">
      ${option('', t('allLevels'), level === '')}
      ${ALERT_LEVELS.map((l) => option(l, translateCode(t, 'level', l), l === level))}
    </select>
    <button type="submit">${t('filterApply')}</button>
  </form>`;
}

/**
 * The worklist's filter as a CSV of the district's listing (the listings are for district, city and admin
 * tokens). The listing filters by one state, so `open` exports every state of the street.
 */
function worklistCsv(street: string, state: StateFilter, level: string): string {
  return csvHref(
    { kind: 'district', district: street.slice(0, 6) },
    {
      street,
      ...(state === 'overdue' ? { overdue: 'true' as const } : state === 'open' ? {} : { state }),
      ...(level ? { level } : {}),
    },
  );
}

export const worklistPage: Page = {
  method: 'GET',
  url: '/streets/:streetCode',
  roles: ALL_ROLES,
  async handle({ params, query, alerter, t, session }): Promise<PageResult> {
    const street = params.streetCode ?? '';
    if (!STREET_CODE.test(street)) return { kind: 'redirect', location: '/' };
    const state: StateFilter = (STATE_FILTERS as readonly string[]).includes(query.state ?? '')
      ? (query.state as StateFilter)
      : 'open';
    const level = (ALERT_LEVELS as readonly string[]).includes(query.level ?? '') ? query.level! : '';
    const states = state === 'open' ? OPEN_STATES : [state];
    const now = new Date();
    const alerts = (await Promise.all(states.map((s) => listState(alerter, street, s))))
      .flat()
      .filter((a) => level === '' || a.level === level)
      .sort(worklistOrder(now));
    const rows = alerts.map(
      (a) =>
        html`<tr>
          <td><a href="/alerts/${a.alertId}">${a.alertId}</a></td>
          <td>${a.householdId}</td>
          <td><span class="badge level-${a.level}">${translateCode(t, 'level', a.level)}</span></td>
          <td>${translateCode(t, 'state', a.state)}</td>
          <td>${badge(t, a, now)}</td>
          <td class="num">${yuan(a.decision.burden12m)}</td>
          <td class="num">${a.decision.burdenRatio === null ? t('unknown') : percent(a.decision.burdenRatio)}</td>
          <td>${shanghaiTime(a.openedAt)}</td>
        </tr>`,
    );
    return {
      kind: 'html',
      title: `${t('worklistTitle')} · ${street}`,
      body: html`${filterForm(t, street, state, level)}
        <p class="count" role="status">
          <strong data-testid="alert-count">${alerts.length}</strong> ${t('alertsShown')}${
            session.principal.role === 'street'
              ? ''
              : html` ·
                  <a href="${worklistCsv(street, state, level)}" download data-testid="csv-link"
                    >${t(state === 'open' ? 'downloadCsvAllStates' : 'downloadCsv')}</a
                  >`
          }
        </p>
        ${
          alerts.length === 0
            ? html`<p>${t('noAlerts')}</p>`
            : html`<table class="worklist">
                <caption class="visually-hidden">
                  ${t('worklistTitle')} ${street}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t('colAlert')}</th>
                    <th scope="col">${t('colHousehold')}</th>
                    <th scope="col">${t('colLevel')}</th>
                    <th scope="col">${t('colState')}</th>
                    <th scope="col">${t('colTimeLeft')}</th>
                    <th scope="col">${t('colBurden')}</th>
                    <th scope="col">${t('colRatio')}</th>
                    <th scope="col">${t('colOpened')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>`
        }`,
    };
  },
};
