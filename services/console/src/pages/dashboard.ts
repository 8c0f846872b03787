// The supervisor dashboard (district, city and admin) and the pipeline health page (admin): charts and
// tables of what the alerter's GET /v1/dashboard and GET /admin/pipeline answer for the user's token,
// nothing computed here but formatting, so every figure on the screen is the API's. Each chart has a table
// of its figures under it (for screen readers, and without script); each figure cell carries a
// `data-figure` name, which the browser test compares with the API. The scope's alerts download as the
// alerter's CSV, passed through with the user's token.
import type { Dashboard, DurationSummary, PipelineReport, Principal } from '../alerter-client.ts';
import { html, jsonData, type SafeHtml } from '../html.ts';
import { translateCode, type Translate } from '../i18n.ts';
import { shanghaiTime } from '../format.ts';
import { dashboardCharts, outcomesShown, type ChartSpec } from './dashboard-charts.ts';
import { csvHref } from './exports.ts';
import type { NavItem, Page } from './page.ts';

const LEVELS = ['watch', 'warning', 'action'] as const;
const DAY_CHOICES = [30, 90] as const;

export const dashboardNav: NavItem = {
  label: 'navDashboard',
  roles: ['district', 'city', 'admin'],
  href: () => '/dashboard',
};

export const pipelineNav: NavItem = { label: 'navPipeline', roles: ['admin'], href: () => '/pipeline' };

/** A duration in hours (one decimal), or a dash when nothing was counted. */
function hours(seconds: number | null): string {
  return seconds === null ? '—' : (seconds / 3600).toFixed(1);
}

const cell = (figure: string, value: string | number) => html`<td data-figure="${figure}">${String(value)}</td>`;

function durations(prefix: string, d: { timeToAcknowledge: DurationSummary; timeToClose: DurationSummary }) {
  return html`${cell(`${prefix}.ack.median`, hours(d.timeToAcknowledge.medianSeconds))}
  ${cell(`${prefix}.ack.p90`, hours(d.timeToAcknowledge.p90Seconds))}
  ${cell(`${prefix}.close.median`, hours(d.timeToClose.medianSeconds))}
  ${cell(`${prefix}.close.p90`, hours(d.timeToClose.p90Seconds))}`;
}

/** The figure a chart is drawn into; dashboard.js draws it from the page's `dashboard-charts` JSON. */
function chartFigure(spec: ChartSpec): SafeHtml {
  return html`<figure class="chart">
    <div id="${spec.id}" class="chart-area" role="img" aria-label="${spec.title}"></div>
    <figcaption>${spec.title}</figcaption>
  </figure>`;
}

function streetTable(t: Translate, d: Dashboard, charts: SafeHtml): SafeHtml {
  const head = html`<tr>
    <th scope="col">${t('streetColumn')}</th>
    ${LEVELS.map((l) => html`<th scope="col">${translateCode(t, 'level', l)}</th>`)}
    <th scope="col">${t('overdueColumn')}</th>
    <th scope="col">${t('ackMedian')}</th>
    <th scope="col">${t('ackP90')}</th>
    <th scope="col">${t('closeMedian')}</th>
    <th scope="col">${t('closeP90')}</th>
  </tr>`;
  const rows = d.streets.map(
    (s) =>
      html`<tr>
        <th scope="row"><a href="/streets/${s.streetCode}">${s.streetCode}</a></th>
        ${LEVELS.map((l) => cell(`${s.streetCode}.open.${l}`, s.open[l]))} ${cell(`${s.streetCode}.overdue`, s.overdue)}
        ${durations(s.streetCode, s)}
      </tr>`,
  );
  const total = html`<tr class="total">
    <th scope="row">${t('totalRow')}</th>
    ${LEVELS.map((l) => cell(`total.open.${l}`, d.totals.open[l]))} ${cell('total.overdue', d.totals.overdue)}
    ${durations('total', d.totals)}
  </tr>`;
  return html`<section aria-labelledby="open-title">
    <h2 id="open-title">${t('openByLevel')} · ${t('timesTitle', { days: d.days })}</h2>
    ${charts}
    <table class="figures">
      <thead>
        ${head}
      </thead>
      <tbody>
        ${rows} ${total}
      </tbody>
    </table>
  </section>`;
}

function outcomesTable(t: Translate, d: Dashboard, chart: SafeHtml): SafeHtml {
  const outcomes = outcomesShown(d);
  return html`<section aria-labelledby="outcomes-title">
    <h2 id="outcomes-title">${t('outcomesTitle')}</h2>
    ${chart}
    <table class="figures">
      <thead>
        <tr>
          <th scope="col">${t('monthColumn')}</th>
          ${outcomes.map((o) => html`<th scope="col">${translateCode(t, 'outcome', o)}</th>`)}
          <th scope="col">${t('totalRow')}</th>
        </tr>
      </thead>
      <tbody>
        ${d.outcomesByMonth.map(
          (m) =>
            html`<tr>
              <th scope="row">${m.month}</th>
              ${outcomes.map((o) => cell(`outcomes.${m.month}.${o}`, m.counts[o] ?? 0))}
              ${cell(`outcomes.${m.month}.total`, m.total)}
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

function weeksTable(t: Translate, d: Dashboard, chart: SafeHtml): SafeHtml {
  return html`<section aria-labelledby="weeks-title">
    <h2 id="weeks-title">${t('newByWeekTitle')}</h2>
    ${chart}
    <table class="figures">
      <thead>
        <tr>
          <th scope="col">${t('weekColumn')}</th>
          <th scope="col">${t('countColumn')}</th>
        </tr>
      </thead>
      <tbody>
        ${d.newByWeek.map(
          (w) =>
            html`<tr>
              <th scope="row">${w.weekStart}</th>
              ${cell(`week.${w.weekStart}`, w.count)}
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

function levelsTable(t: Translate, d: Dashboard, chart: SafeHtml): SafeHtml {
  return html`<section aria-labelledby="levels-title">
    <h2 id="levels-title">${t('levelsTitle')}</h2>
    ${chart}
    <table class="figures">
      <thead>
        <tr>
          <th scope="col">${t('dayColumn')}</th>
          ${LEVELS.map((l) => html`<th scope="col">${translateCode(t, 'level', l)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${[...d.householdsByLevel].reverse().map(
          (row) =>
            html`<tr>
              <th scope="row">${row.day}</th>
              ${LEVELS.map((l) => cell(`levels.${row.day}.${l}`, row[l]))}
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

/**
 * The alerter's CSV of a dashboard scope's alerts: the city's, a district's, or a street's (through its
 * district's listing); without a scope, the token's own (a district's, else the city's).
 */
/**
 * The CSV link of a dashboard scope: the listing export of its district (a street's through its district's
 * listing, filtered to the street) or of the city; without a scope, the user's own district or the city.
 */
export function scopeCsvHref(scope: string | undefined, principal: Principal): string {
  const own = scope ?? (principal.role === 'district' ? principal.district : 'city');
  if (own === 'city') return csvHref({ kind: 'city' }, {});
  if (/^\d{6}$/.test(own)) return csvHref({ kind: 'district', district: own }, {});
  return csvHref({ kind: 'district', district: own.slice(0, 6) }, { street: own });
}

const scopeOf = (query: Record<string, string>) =>
  query.scope && /^(city|\d{6}|\d{9})$/.test(query.scope) ? query.scope : undefined;

export const dashboardPage: Page = {
  method: 'GET',
  url: '/dashboard',
  roles: ['district', 'city', 'admin'],
  async handle({ alerter, query, session, t }) {
    const days = DAY_CHOICES.find((d) => String(d) === query.days) ?? 30;
    const scope = scopeOf(query);
    const d = await alerter.dashboard(scope, days);
    const scopeName = d.scope === 'city' ? t('scopeCity') : d.scope;
    const scopeParam = scope ? `&scope=${scope}` : '';
    const specs = dashboardCharts(t, d);
    const chart = (id: string) => chartFigure(specs.find((c) => c.id === id)!);
    return {
      kind: 'html',
      title: t('dashboardTitle', { scope: scopeName }),
      scripts: ['/assets/vendor/uPlot.iife.min.js', '/assets/dashboard.js'],
      styles: ['/assets/vendor/uPlot.min.css'],
      body: html`<nav class="filters" aria-label="${t('dashboardDays')}">
          ${t('dashboardDays')}:
          ${DAY_CHOICES.map((n) =>
            n === days
              ? html`<strong aria-current="true">${String(n)}</strong>`
              : html`<a href="/dashboard?days=${String(n)}${scopeParam}">${String(n)}</a>`,
          )}
        </nav>
        <p class="muted">
          ${shanghaiTime(d.asOf)} ·
          <a href="${scopeCsvHref(scope, session.principal)}" download>${t('csvDownload')}</a>
        </p>
        <script type="application/json" id="dashboard-charts">
          ${jsonData(specs)}
        </script>
        ${weeksTable(t, d, chart('chart-weeks'))} ${levelsTable(t, d, chart('chart-levels'))}
        ${outcomesTable(t, d, chart('chart-outcomes'))}
        ${streetTable(t, d, html`${chart('chart-acknowledge')} ${chart('chart-close')}`)}`,
    };
  },
};

function pipelineBody(t: Translate, p: PipelineReport): SafeHtml {
  const memory = p.redisUsedMemoryBytes === null ? '—' : `${(p.redisUsedMemoryBytes / 2 ** 20).toFixed(1)} MiB`;
  return html`<p><a href="${p.board}">${t('openBoard')}</a></p>
    <dl class="card">
      <dt>${t('claimsPerSecond')}</dt>
      <dd data-figure="claimsPerSecond">${p.claimsPerSecond === null ? '—' : p.claimsPerSecond.toFixed(2)}</dd>
      <dt>${t('redisMemory')}</dt>
      <dd data-figure="redisMemory">${memory}</dd>
    </dl>
    ${p.claimsPerSecond === null && !p.prometheusError ? html`<p class="notice">${t('noPrometheus')}</p>` : ''}
    ${p.prometheusError ? html`<p class="notice error" role="alert">${p.prometheusError}</p>` : ''}
    <section aria-labelledby="institutions-title">
      <h2 id="institutions-title">${t('institutionsTitle')}</h2>
      <table class="figures">
        <thead>
          <tr>
            <th scope="col">${t('institutionColumn')}</th>
            <th scope="col">${t('lastClaimColumn')}</th>
            <th scope="col">${t('silentColumn')}</th>
          </tr>
        </thead>
        <tbody>
          ${(p.institutions ?? []).map(
            (i) =>
              html`<tr class="${i.silent ? 'silent' : ''}">
                <th scope="row">${i.institution}</th>
                <td>${shanghaiTime(i.lastClaimAt)}</td>
                <td data-figure="silent.${i.institution}">
                  ${i.silentHours.toFixed(1)}
                  ${i.silent ? html`<span class="badge due-over">${t('silentFlag')}</span>` : ''}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>
    <section aria-labelledby="lag-title">
      <h2 id="lag-title">${t('consumerLagTitle')}</h2>
      <table class="figures">
        <thead>
          <tr>
            <th scope="col">${t('groupColumn')}</th>
            <th scope="col">${t('topicColumn')}</th>
            <th scope="col">${t('lagColumn')}</th>
          </tr>
        </thead>
        <tbody>
          ${p.consumerLag.map(
            (l) =>
              html`<tr>
                <th scope="row">${l.group}</th>
                <td>${l.topic}</td>
                ${cell(`lag.${l.group}.${l.topic}`, l.lag)}
              </tr>`,
          )}
        </tbody>
      </table>
    </section>
    <section aria-labelledby="dead-title">
      <h2 id="dead-title">${t('deadLettersTitle')}</h2>
      <table class="figures">
        <thead>
          <tr>
            <th scope="col">${t('codeColumn')}</th>
            <th scope="col">${t('countColumn')}</th>
          </tr>
        </thead>
        <tbody>
          ${(p.deadLettersByCode ?? []).map(
            (d) =>
              html`<tr>
                <th scope="row">${d.code}</th>
                ${cell(`dead.${d.code}`, d.hourly.at(-1)?.count ?? 0)}
              </tr>`,
          )}
        </tbody>
      </table>
    </section>
    <section aria-labelledby="queues-title">
      <h2 id="queues-title">${t('queuesTitle')}</h2>
      <table class="figures">
        <thead>
          <tr>
            <th scope="col">${t('queueColumn')}</th>
            <th scope="col">waiting</th>
            <th scope="col">active</th>
            <th scope="col">delayed</th>
            <th scope="col">failed</th>
          </tr>
        </thead>
        <tbody>
          ${p.queues.map(
            (q) =>
              html`<tr>
                <th scope="row">${q.queue}</th>
                ${cell(`queue.${q.queue}.waiting`, q.waiting)} ${cell(`queue.${q.queue}.active`, q.active)}
                ${cell(`queue.${q.queue}.delayed`, q.delayed)} ${cell(`queue.${q.queue}.failed`, q.failed)}
              </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
}

export const pipelinePage: Page = {
  method: 'GET',
  url: '/pipeline',
  roles: ['admin'],
  async handle({ alerter, t }) {
    return { kind: 'html', title: t('pipelineTitle'), body: pipelineBody(t, await alerter.pipeline()) };
  },
};
