// Bearer-token authentication and scopes. A presented token is hashed and compared with every configured
// hash in constant time, so neither the comparison nor the position in the list leaks how much of a guess
// was right. Tokens are never logged: the rest of the alerter only sees the token's name and scope.
import { createHash, timingSafeEqual } from 'node:crypto';
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

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;
const BASIC = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i;

// SHA-256 makes every value the same length, which timingSafeEqual requires.
const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

function presentedToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const bearer = BEARER.exec(authorization);
  if (bearer?.[1]) return bearer[1];
  const basic = BASIC.exec(authorization);
  if (!basic?.[1]) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : null;
}

export function createAuthenticator(entries: readonly TokenEntry[]): Authenticator {
  const known = entries.map((e) => ({
    digest: digest(e.token),
    principal: (e.role === 'street'
      ? { name: e.name, role: 'street', street: e.street }
      : e.role === 'district'
        ? { name: e.name, role: 'district', district: e.district }
        : { name: e.name, role: 'admin' }) satisfies Principal,
  }));
  return {
    authenticate(authorization) {
      const token = presentedToken(authorization);
      if (!token) return null;
      const presented = digest(token);
      let found: Principal | null = null;
      // No early exit: the time taken does not depend on which entry (if any) matched.
      for (const k of known) if (timingSafeEqual(presented, k.digest)) found = k.principal;
      return found;
    },
  };
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
