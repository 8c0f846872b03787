// Bearer-token authentication and scopes. Tokens are checked in constant time by the shared bearer check of
// @warnline/runtime. Tokens are never logged: the rest of the alerter only sees the token's name and scope.
import { bearerToken, createTokenMatcher } from '@warnline/runtime';
import type { TokenEntry } from './config.ts';
import { streetOfAlert } from './keys.ts';

export type Principal =
  | { name: string; role: 'street'; street: string }
  | { name: string; role: 'district'; district: string }
  | { name: string; role: 'city' }
  | { name: string; role: 'admin' };

export interface Authenticator {
  /**
   * The principal of an `Authorization` header: `Bearer <token>`, or (for a browser on bull-board)
   * `Basic` with the token as password. Null for none, malformed or unknown.
   */
  authenticate(authorization: string | undefined): Principal | null;
}

const BASIC = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i;

function presentedToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const bearer = bearerToken(authorization);
  if (bearer) return bearer;
  const basic = BASIC.exec(authorization);
  if (!basic?.[1]) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : null;
}

export function createAuthenticator(entries: readonly TokenEntry[]): Authenticator {
  const matcher = createTokenMatcher(
    entries.map((e) => ({
      token: e.token,
      principal: principalOf(e),
    })),
  );
  return { authenticate: (authorization) => matcher.match(presentedToken(authorization)) };
}

function principalOf(e: TokenEntry): Principal {
  switch (e.role) {
    case 'street':
      return { name: e.name, role: 'street', street: e.street };
    case 'district':
      return { name: e.name, role: 'district', district: e.district };
    case 'city':
      return { name: e.name, role: 'city' };
    case 'admin':
      return { name: e.name, role: 'admin' };
  }
}

/**
 * May the principal see and change the alerts of a street or triage desk (in that district)? A district's
 * triage desk (`<district>000`) is in its district; the city's desk (`000000000`) in none, so only city and
 * admin tokens reach it.
 */
export function mayAccessStreet(principal: Principal, streetCode: string, districtCode: string): boolean {
  switch (principal.role) {
    case 'admin':
    case 'city':
      return true;
    case 'district':
      return principal.district === districtCode;
    case 'street':
      return principal.street === streetCode;
  }
}

/**
 * Is this alert in the principal's scope? Street: its own street's alerts; district: its streets' and its
 * triage desk's; city and admin: every alert. The one scope check for every route that names an alert; an id
 * that names no street or desk is in nobody's scope but admin's and the city's (who then get 404).
 */
export function isAlertInScope(principal: Principal, alertId: string): boolean {
  const street = streetOfAlert(alertId);
  if (street === null) return principal.role === 'admin' || principal.role === 'city';
  return mayAccessStreet(principal, street, street.slice(0, 6));
}

/** May the principal read a district's listing (its streets and triage desk)? */
export function mayAccessDistrict(principal: Principal, districtCode: string): boolean {
  return (
    principal.role === 'admin' ||
    principal.role === 'city' ||
    (principal.role === 'district' && principal.district === districtCode)
  );
}

/** May the principal read the city-wide listing? */
export function mayAccessCity(principal: Principal): boolean {
  return principal.role === 'admin' || principal.role === 'city';
}

/**
 * May the principal see a dashboard scope? The city: city and admin tokens; a district: as its listing;
 * a street: whoever may reach the street.
 */
export function mayViewScope(
  principal: Principal,
  scope: { kind: 'city' } | { kind: 'district' | 'street'; code: string },
): boolean {
  switch (scope.kind) {
    case 'city':
      return mayAccessCity(principal);
    case 'district':
      return mayAccessDistrict(principal, scope.code);
    case 'street':
      return mayAccessStreet(principal, scope.code, scope.code.slice(0, 6));
  }
}

/** The scope a principal's dashboard shows when the request names none. */
export function ownScope(principal: Principal): { kind: 'city' } | { kind: 'district' | 'street'; code: string } {
  switch (principal.role) {
    case 'admin':
    case 'city':
      return { kind: 'city' };
    case 'district':
      return { kind: 'district', code: principal.district };
    case 'street':
      return { kind: 'street', code: principal.street };
  }
}
