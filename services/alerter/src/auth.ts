// Bearer-token authentication and scopes. Tokens are checked in constant time by the shared bearer check of
// @warnline/runtime. Tokens are never logged: the rest of the alerter only sees the token's name and scope.
import { bearerToken, createTokenMatcher } from '@warnline/runtime';
import type { TokenEntry } from './config.ts';

export type Principal =
  | { name: string; role: 'street'; street: string }
  | { name: string; role: 'district'; district: string }
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
      principal: (e.role === 'street'
        ? { name: e.name, role: 'street', street: e.street }
        : e.role === 'district'
          ? { name: e.name, role: 'district', district: e.district }
          : { name: e.name, role: 'admin' }) satisfies Principal,
    })),
  );
  return { authenticate: (authorization) => matcher.match(presentedToken(authorization)) };
}

/** May the principal see and change the alerts of a street (in that district)? */
export function mayAccessStreet(principal: Principal, streetCode: string, districtCode: string): boolean {
  switch (principal.role) {
    case 'admin':
      return true;
    case 'district':
      return principal.district === districtCode;
    case 'street':
      return principal.street === streetCode;
  }
}

/**
 * May the principal see a dashboard scope? The city: admin only; a district: its district token or admin;
 * a street: whoever may reach the street.
 */
export function mayViewScope(
  principal: Principal,
  scope: { kind: 'city' } | { kind: 'district' | 'street'; code: string },
): boolean {
  switch (scope.kind) {
    case 'city':
      return principal.role === 'admin';
    case 'district':
      return principal.role === 'admin' || (principal.role === 'district' && principal.district === scope.code);
    case 'street':
      return mayAccessStreet(principal, scope.code, scope.code.slice(0, 6));
  }
}

/** The scope a principal's dashboard shows when the request names none. */
export function ownScope(principal: Principal): { kind: 'city' } | { kind: 'district' | 'street'; code: string } {
  switch (principal.role) {
    case 'admin':
      return { kind: 'city' };
    case 'district':
      return { kind: 'district', code: principal.district };
    case 'street':
      return { kind: 'street', code: principal.street };
  }
}
