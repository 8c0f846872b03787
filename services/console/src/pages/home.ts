// The landing page: a street's caseworker goes straight to the street's worklist; a district or admin user
// chooses the street to open.
import { STREET_CODE } from '@warnline/contracts';
import { html } from '../html.ts';
import { ALL_ROLES, redirect, type NavItem, type Page } from './page.ts';

export const homeNav: NavItem = { label: 'navHome', roles: ['district', 'city', 'admin'], href: () => '/' };

export const homePage: Page = {
  method: 'GET',
  url: '/',
  roles: ALL_ROLES,
  async handle({ session, t }) {
    const p = session.principal;
    if (p.role === 'street') return redirect(`/streets/${p.street}`);
    const prefix = p.role === 'district' ? p.district : '';
    return {
      kind: 'html',
      title: t('chooseStreet'),
      body: html`<form method="get" action="/streets" class="card">
        <label for="street-code">${t('streetCodeLabel')}</label>
        <input
          id="street-code"
          name="code"
          inputmode="numeric"
          pattern="[0-9]{9}"
          required
          value="${prefix}"
          autocomplete="off"
        />
        <button type="submit">${t('open')}</button>
      </form>`,
    };
  },
};

/** The street chooser's target: a well-formed code opens its worklist, anything else comes back here. */
export const chooseStreetPage: Page = {
  method: 'GET',
  url: '/streets',
  roles: ALL_ROLES,
  async handle({ query }) {
    const code = query.code ?? '';
    return redirect(STREET_CODE.test(code) ? `/streets/${code}` : '/');
  },
};
