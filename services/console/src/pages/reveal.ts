// The audited reveal: a caseworker who must find the people of an alert asks the alerter for their identity
// numbers, stating why. The numbers are shown on this one answer (no-store, like every page of the console)
// and kept nowhere: not in the session, not in a log line, not in a redirect's URL. Refusals are shown in
// plain words on the same page.
import { REVEAL_PURPOSE_MIN_LENGTH } from '@warnline/contracts';
import { AlerterError } from '../alerter-client.ts';
import { html, type SafeHtml } from '../html.ts';
import { isMessageKey, translateCode, type Translate } from '../i18n.ts';
import type { Page, PageResult } from './page.ts';

/** The reveal form of the alert page. */
export function revealForm(t: Translate, alertId: string, csrf: string): SafeHtml {
  return html`<form method="post" action="/alerts/${alertId}/reveal" class="card reveal">
    <input type="hidden" name="_csrf" value="${csrf}" />
    <label for="reveal-purpose">${t('revealPurpose')}</label>
    <input
      id="reveal-purpose"
      name="purpose"
      required
      minlength="${REVEAL_PURPOSE_MIN_LENGTH}"
      maxlength="1000"
      autocomplete="off"
      aria-describedby="reveal-hint"
    />
    <p id="reveal-hint" class="muted">${t('revealHint')}</p>
    <button type="submit">${t('revealButton')}</button>
  </form>`;
}

/** The refusals of a reveal the user can understand and act on, in words; others go to the error pages. */
const REVEAL_REFUSALS = new Set([
  'PURPOSE_REQUIRED',
  'REVEAL_RATE_LIMITED',
  'REVEAL_UNAVAILABLE',
  'REVEAL_CLOSED_TOO_LONG',
  'REVEAL_NO_IDENTITY',
  'FORBIDDEN',
]);

export const revealPage: Page = {
  method: 'POST',
  url: '/alerts/:alertId/reveal',
  roles: ['street', 'district', 'city', 'admin'],
  async handle({ params, form, alerter, t }): Promise<PageResult> {
    const alertId = params.alertId ?? '';
    const back = html`<p><a href="/alerts/${alertId}">${t('backToAlert')}</a></p>`;
    let answer;
    try {
      answer = await alerter.reveal(alertId, form.purpose ?? '');
    } catch (err) {
      if (!(err instanceof AlerterError) || !REVEAL_REFUSALS.has(err.code)) throw err;
      const key = `error.${err.code}`;
      const minutes = err.retryAfterSeconds === undefined ? null : Math.max(1, Math.ceil(err.retryAfterSeconds / 60));
      return {
        kind: 'html',
        status: err.status,
        title: t('revealTitle'),
        body: html`<p class="notice error" role="alert" data-testid="reveal-error">
            ${isMessageKey(key) ? t(key) : err.code}${minutes === null ? '' : html` ${t('retryInMinutes', { n: minutes })}`}
          </p>
          ${back}`,
      };
    }
    return {
      kind: 'html',
      title: `${t('revealTitle')} · ${alertId}`,
      body: html`<p class="notice" role="status">${t('revealOnce')}</p>
        <table class="identities" data-testid="identities">
          <caption class="visually-hidden">
            ${t('revealTitle')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('colPseudonym')}</th>
              <th scope="col">${t('colIdType')}</th>
              <th scope="col">${t('colIdNumber')}</th>
            </tr>
          </thead>
          <tbody>
            ${answer.identities.map((i) =>
              'personId' in i
                ? html`<tr>
                    <td><code>${i.pseudonym}</code></td>
                    <td>${translateCode(t, 'idType', i.personIdType)}</td>
                    <td data-testid="person-id">${i.personId}</td>
                  </tr>`
                : html`<tr>
                    <td><code>${i.pseudonym}</code></td>
                    <td colspan="2">${t('identityUnknown')} <code>${i.code}</code></td>
                  </tr>`,
            )}
          </tbody>
        </table>
        ${back}`,
    };
  },
};
