// One alert: the findings in plain words with their citations, the burden by month (chart and table), the
// figures (income, ratio against the 40% line, assistance estimate), the due dates, the history, and a form
// for each transition the alerter allows now.
import { ALERT_OUTCOMES, districtOfDesk, isTriageDesk, mayRevealAlertsOf, TRIAGE_OUTCOMES } from '@warnline/contracts';
import type { Alert, AlerterClient } from '../alerter-client.ts';
import { html, jsonData, type SafeHtml } from '../html.ts';
import { translateCode, isMessageKey, type Lang, type MessageKey, type Translate } from '../i18n.ts';
import { percent, shanghaiTime, yuan } from '../format.ts';
import { ALL_ROLES, redirect, type Page, type PageContext } from './page.ts';
import { revealForm } from './reveal.ts';

/** The policy's line for expenditure-type poverty of the second kind (沪府办规〔2022〕19号 四). */
const POVERTY_LINE_RATIO = '0.4';

/** Findings' messages are "中文 / English": the part of the page's language. */
export function messageIn(lang: Lang, message: string): string {
  const split = message.indexOf(' / ');
  if (split < 0) return message;
  return lang === 'zh' ? message.slice(0, split) : message.slice(split + 3);
}

function findings(t: Translate, lang: Lang, alert: Alert): SafeHtml {
  const list = alert.decision.findings;
  if (list.length === 0) return html`<p>${t('noFindings')}</p>`;
  return html`<ul class="findings">
    ${list.map(
      (f) =>
        html`<li>
          <span class="badge level-${String(f.level ?? alert.level)}"
            >${translateCode(t, 'level', String(f.level ?? alert.level))}</span
          >
          ${messageIn(lang, f.message)} <cite>${f.citation}</cite> <code>${f.code}</code>
        </li>`,
    )}
  </ul>`;
}

function burdenChart(t: Translate, alert: Alert): SafeHtml {
  const months = alert.decision.burdenByMonth;
  if (!months) return html`<p class="muted">${t('burdenChartMissing')}</p>`;
  const labels = { month: t('month'), inpatient: t('inpatient'), outpatient: t('outpatient') };
  return html`<figure class="chart">
      <div id="burden-chart" class="chart-area" role="img" aria-label="${t('burdenChart')}"></div>
      <script type="application/json" id="burden-data">
        ${jsonData({ months, labels })}
      </script>
      <figcaption>${t('burdenChart')}</figcaption>
    </figure>
    <table class="months">
      <caption class="visually-hidden">
        ${t('burdenChart')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('month')}</th>
          <th scope="col">${t('inpatient')}</th>
          <th scope="col">${t('outpatient')}</th>
        </tr>
      </thead>
      <tbody>
        ${months.map(
          (m) =>
            html`<tr>
              <th scope="row">${m.month}</th>
              <td class="num">${yuan(m.inpatient)}</td>
              <td class="num">${yuan(m.outpatient)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function figures(t: Translate, alert: Alert): SafeHtml {
  const d = alert.decision;
  const ratio = d.burdenRatio;
  return html`<dl class="figures">
    <dt>${t('burden12m')}</dt>
    <dd data-testid="burden12m">${yuan(d.burden12m)} 元</dd>
    <dt>${t('income')}</dt>
    <dd>${d.income === null ? t('unknown') : html`${yuan(d.income)} 元`}</dd>
    <dt>${t('ratio')}</dt>
    <dd data-testid="ratio">
      ${
        ratio === null
          ? t('unknown')
          : html`${percent(ratio)}
              <meter
                min="0"
                max="1"
                high="${POVERTY_LINE_RATIO}"
                optimum="0"
                value="${Math.min(1, Number(ratio))}"
                aria-label="${t('ratio')}"
              >
                ${percent(ratio)}
              </meter>
              <span class="muted">${t('ratioLine')}</span>`
      }
    </dd>
    <dt>${t('assistanceEstimate')}</dt>
    <dd>
      ${yuan(d.assistance.total)}
      元${
        d.assistance.capRemaining === null
          ? ''
          : html` <span class="muted">(${t('capRemaining')} ${yuan(d.assistance.capRemaining)} 元)</span>`
      }
    </dd>
    <dt>${t('window')}</dt>
    <dd>${d.window.from} – ${d.window.to}</dd>
    <dt>${t('ruleSet')}</dt>
    <dd>${d.ruleSet}</dd>
  </dl>`;
}

function dueDates(t: Translate, alert: Alert): SafeHtml {
  const mark = (at: string | null) => (at === null ? '' : html` <span class="badge due-over">${t('overdue')}</span>`);
  // A triage desk has one limit, to decide; the street alert it becomes has its own.
  if (alert.triage)
    return html`<dl class="figures">
      <dt>${t('assignDue')}</dt>
      <dd>${shanghaiTime(alert.assignDueAt)}${mark(alert.overdue.assign)}</dd>
    </dl>`;
  return html`<dl class="figures">
    <dt>${t('ackDue')}</dt>
    <dd>${shanghaiTime(alert.acknowledgeDueAt)}${mark(alert.overdue.acknowledge)}</dd>
    <dt>${t('closeDue')}</dt>
    <dd>${shanghaiTime(alert.closeDueAt)}${mark(alert.overdue.close)}</dd>
  </dl>`;
}

/** The outcomes a street alert closes with (a triage desk has its own; `linked` is the system's). */
const STREET_OUTCOMES = ALERT_OUTCOMES.filter((o) => o !== 'linked' && o !== 'not-resident');

/** A note; a street alert's forms all say when it is required (closing), a desk's say it per form. */
function noteField(t: Translate, id: string, required: boolean, label: MessageKey = 'noteLabel'): SafeHtml {
  return html`<label for="${id}-note">${t(label)}</label>
    <textarea id="${id}-note" name="note" rows="3" maxlength="4000" ${required ? html` required` : ''}></textarea>`;
}

function transitionForm(alert: Alert, csrf: string, to: string, fields: SafeHtml, button: string): SafeHtml {
  return html`<form method="post" action="/alerts/${alert.alertId}/transitions" class="card transition">
    <input type="hidden" name="_csrf" value="${csrf}" />
    <input type="hidden" name="to" value="${to}" />
    ${fields}
    <button type="submit">${button}</button>
  </form>`;
}

/**
 * The street chooser of an assignment: the district's known streets as a list when there are any, else a
 * 9-digit code of the district (the city desk: any street); the alerter refuses a street outside the desk.
 */
function streetChooser(t: Translate, alert: Alert, streets: readonly string[]): SafeHtml {
  const district = districtOfDesk(alert.streetCode);
  if (streets.length > 0)
    return html`<label for="t-assigned-street">${t('streetLabel')}</label>
      <select id="t-assigned-street" name="street" required>
        <option value="">${t('chooseStreetOption')}</option>
        ${streets.map((s) => html`<option value="${s}">${s}</option>`)}
      </select>`;
  return html`<label for="t-assigned-street">${t('streetCodeLabel')}</label>
    <input
      id="t-assigned-street"
      name="street"
      required
      inputmode="numeric"
      autocomplete="off"
      pattern="${district === null ? '[0-9]{6}(?!000)[0-9]{3}' : `${district}(?!000)[0-9]{3}`}"
      value="${district ?? ''}"
    />`;
}

function triageForms(t: Translate, alert: Alert, csrf: string, streets: readonly string[]): SafeHtml {
  const forms: SafeHtml[] = [];
  if (alert.next.includes('assigned'))
    forms.push(
      transitionForm(
        alert,
        csrf,
        'assigned',
        html`${streetChooser(t, alert, streets)} ${noteField(t, 't-assigned', false, 'noteOptional')}`,
        t('to.assigned'),
      ),
    );
  if (alert.next.includes('closed')) {
    forms.push(
      transitionForm(
        alert,
        csrf,
        'closed',
        html`<input type="hidden" name="outcome" value="not-resident" />
          <label for="t-handover-district">${t('districtLabel')}</label>
          <input
            id="t-handover-district"
            name="district"
            required
            inputmode="numeric"
            pattern="[0-9]{6}"
            autocomplete="off"
          />
          ${noteField(t, 't-handover', true, 'noteRequired')}`,
        t('handOver'),
      ),
      transitionForm(
        alert,
        csrf,
        'closed',
        html`<label for="t-triage-close-outcome">${t('outcomeLabel')}</label>
          <select id="t-triage-close-outcome" name="outcome" required>
            <option value="">${t('chooseOutcome')}</option>
            ${TRIAGE_OUTCOMES.filter((o) => o !== 'not-resident').map(
              (o) => html`<option value="${o}">${translateCode(t, 'outcome', o)}</option>`,
            )}
          </select>
          ${noteField(t, 't-triage-close', true, 'noteRequired')}`,
        t('closeInTriage'),
      ),
    );
  }
  return html`${forms}`;
}

function transitionForms(t: Translate, alert: Alert, csrf: string, streets: readonly string[]): SafeHtml {
  if (alert.next.length === 0) return html`<p>${t(alert.state === 'assigned' ? 'noActionsAssigned' : 'noActions')}</p>`;
  if (alert.triage) return triageForms(t, alert, csrf, streets);
  return html`${alert.next.map((to) => {
    const id = `t-${to}`;
    const outcome =
      to === 'closed'
        ? html`<label for="${id}-outcome">${t('outcomeLabel')}</label>
            <select id="${id}-outcome" name="outcome" required>
              <option value="">${t('chooseOutcome')}</option>
              ${STREET_OUTCOMES.map((o) => html`<option value="${o}">${translateCode(t, 'outcome', o)}</option>`)}
            </select>`
        : '';
    return transitionForm(
      alert,
      csrf,
      to,
      html`${outcome} ${noteField(t, id, to === 'closed')}`,
      translateCode(t, 'to', to),
    );
  })}`;
}

/** The streets a desk may assign to, for its chooser: the district's streets the alerter knows (never a desk). */
async function streetsOfDesk(alerter: AlerterClient, alert: Alert): Promise<string[]> {
  const district = districtOfDesk(alert.streetCode);
  if (!alert.triage || !alert.next.includes('assigned') || district === null) return [];
  try {
    const dashboard = await alerter.dashboard(district, 30);
    return [...new Set(dashboard.streets.map((s) => s.streetCode))]
      .filter((s) => s.startsWith(district) && !isTriageDesk(s))
      .sort();
  } catch {
    // Without the list the chooser takes a typed code of the district; the alerter checks it either way.
    return [];
  }
}

/** Where an alert's "back to the list" goes: its street's worklist, or its triage desk. */
function listOf(alert: Alert): string {
  if (!alert.triage) return `/streets/${alert.streetCode}`;
  return `/desks/${districtOfDesk(alert.streetCode) ?? 'city'}`;
}

async function showAlert({ params, query, alerter, t, lang, session }: PageContext) {
  const alertId = params.alertId ?? '';
  const [alert, history] = await Promise.all([alerter.alert(alertId), alerter.history(alertId)]);
  const streets = await streetsOfDesk(alerter, alert);
  const errorKey = `error.${query.error ?? ''}`;
  const notice = query.error
    ? html`<p class="notice error" role="alert">${isMessageKey(errorKey) ? t(errorKey) : query.error}</p>`
    : query.done
      ? html`<p class="notice ok" role="status">${t('done')}</p>`
      : '';
  return {
    kind: 'html' as const,
    title: `${t('alertTitle')} ${alert.alertId}`,
    scripts: alert.decision.burdenByMonth ? ['/assets/vendor/uPlot.iife.min.js'] : [],
    styles: alert.decision.burdenByMonth ? ['/assets/vendor/uPlot.min.css'] : [],
    body: html`${notice}
      <p class="summary">
        <span class="badge level-${alert.level}">${translateCode(t, 'level', alert.level)}</span>
        <span data-testid="state">${translateCode(t, 'state', alert.state)}</span>${
          alert.outcome ? html` · ${translateCode(t, 'outcome', alert.outcome)}` : ''
        }
        · ${t('colHousehold')} ${alert.householdId} ·
        <a href="${listOf(alert)}">${alert.triage ? t('navDesk') : t('navWorklist')} ${alert.streetCode}</a>
      </p>
      ${
        alert.assignedAlertId
          ? html`<p class="notice ok" data-testid="assigned-to">
              ${t(alert.state === 'assigned' ? 'assignedTo' : 'handedOverTo')}
              <a href="/alerts/${alert.assignedAlertId}">${alert.assignedAlertId}</a>
            </p>`
          : ''
      }
      ${
        alert.linkedAlertIds.length > 0
          ? html`<p data-testid="linked">
              ${t('linkedAlerts')}: ${alert.linkedAlertIds.map((id) => html` <a href="/alerts/${id}">${id}</a>`)}
            </p>`
          : ''
      }
      <div class="columns">
        <section aria-labelledby="h-findings">
          <h2 id="h-findings">${t('findings')}</h2>
          ${findings(t, lang, alert)}
          ${
            alert.decision.warnings.length > 0
              ? html`<h3>${t('warnings')}</h3>
                  <ul>
                    ${alert.decision.warnings.map((w) => html`<li>${messageIn(lang, w.message)} <code>${w.code}</code></li>`)}
                  </ul>`
              : ''
          }
        </section>
        <section aria-labelledby="h-figures">
          <h2 id="h-figures">${t('figures')}</h2>
          ${figures(t, alert)}
          <h2>${t('dueDates')}</h2>
          ${dueDates(t, alert)}
        </section>
      </div>
      <section aria-labelledby="h-chart">
        <h2 id="h-chart">${t('burdenChart')}</h2>
        ${burdenChart(t, alert)}
      </section>
      <section aria-labelledby="h-actions">
        <h2 id="h-actions">${t('actions')}</h2>
        ${transitionForms(t, alert, session.csrf, streets)}
      </section>
      ${
        mayRevealAlertsOf(session.principal, alert.streetCode)
          ? html`<section aria-labelledby="h-reveal">
              <h2 id="h-reveal">${t('revealTitle')}</h2>
              ${revealForm(t, alert.alertId, session.csrf)}
            </section>`
          : ''
      }
      <section aria-labelledby="h-history">
        <h2 id="h-history">${t('history')}</h2>
        <table class="history" data-testid="history">
          <thead>
            <tr>
              <th scope="col">${t('colWhen')}</th>
              <th scope="col">${t('colWho')}</th>
              <th scope="col">${t('colAction')}</th>
              <th scope="col">${t('colState')}</th>
              <th scope="col">${t('colNote')}</th>
            </tr>
          </thead>
          <tbody>
            ${history.map(
              (e) =>
                html`<tr>
                  <td>${shanghaiTime(e.at)}</td>
                  <td>${e.actor.name}</td>
                  <td>
                    ${translateCode(t, 'action', e.action)}${
                      e.outcome ? html` (${translateCode(t, 'outcome', e.outcome)})` : ''
                    }${e.target ? html` → ${e.target}` : ''}${
                      e.relatedAlertId ? html` <a href="/alerts/${e.relatedAlertId}">${e.relatedAlertId}</a>` : ''
                    }
                  </td>
                  <td>${translateCode(t, 'state', e.to)}</td>
                  <td>${e.note ?? e.purpose ?? ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>`,
  };
}

export const alertPage: Page = { method: 'GET', url: '/alerts/:alertId', roles: ALL_ROLES, handle: showAlert };

/** A transition form: the alerter decides; its refusal comes back to the alert page as a stable code. */
export const transitionPage: Page = {
  method: 'POST',
  url: '/alerts/:alertId/transitions',
  roles: ALL_ROLES,
  async handle({ params, form, alerter }) {
    const alertId = params.alertId ?? '';
    const back = `/alerts/${encodeURIComponent(alertId)}`;
    const body: { to: string; outcome?: string; note?: string; street?: string; district?: string } = {
      to: form.to ?? '',
    };
    if (form.outcome) body.outcome = form.outcome;
    if (form.note?.trim()) body.note = form.note;
    // The targets the alerter needs: a street to assign to, a district to hand a not-resident alert over to.
    if (body.to === 'assigned' && form.street) body.street = form.street.trim();
    if (body.outcome === 'not-resident' && form.district) body.district = form.district.trim();
    try {
      await alerter.transition(alertId, body);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const status = (err as { status?: unknown }).status;
      // Refusals a user can act on are shown on the alert page; anything else is the server's error page.
      if (
        typeof status === 'number' &&
        status >= 400 &&
        status < 500 &&
        status !== 401 &&
        status !== 403 &&
        status !== 404
      )
        return redirect(`${back}?error=${encodeURIComponent(String(code))}`);
      throw err;
    }
    return redirect(`${back}?done=${encodeURIComponent(body.to)}`);
  },
};
