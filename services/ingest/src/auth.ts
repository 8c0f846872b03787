// Bearer-token authentication. Tokens come from configuration (config.ts) and are checked in constant time
// by the shared bearer check of @warnline/runtime. Tokens are never logged: callers only see the token's name.
import { bearerToken, createTokenMatcher } from '@warnline/runtime';
import type { TokenEntry } from './config.ts';

export type Role = 'hospital' | 'registry';

export interface Principal {
  /** The token's configured name: what logs and dead letters show. */
  name: string;
  role: Role;
  /** Institution codes a hospital token may submit claims for; 'any' for "*". */
  institutions: ReadonlySet<string> | 'any';
}

export interface Authenticator {
  /** The principal of an `Authorization: Bearer …` header, or null for none, malformed or unknown. */
  authenticate(authorization: string | undefined): Principal | null;
  /** How many tokens are configured (0 means every request is refused). */
  readonly size: number;
}

export function createAuthenticator(entries: readonly TokenEntry[]): Authenticator {
  const matcher = createTokenMatcher(
    entries.map((e, i) => ({
      token: e.token,
      principal: {
        name: e.name ?? `token-${i + 1}`,
        role: e.role,
        institutions: e.institutions === undefined || e.institutions.includes('*') ? 'any' : new Set(e.institutions),
      } satisfies Principal,
    })),
  );
  return {
    size: matcher.size,
    authenticate: (authorization) => matcher.match(bearerToken(authorization)),
  };
}

/** May this principal submit a claim of that institution? */
export function mayClaimFor(principal: Principal, institutionCode: string): boolean {
  if (principal.role !== 'hospital') return false;
  return principal.institutions === 'any' || principal.institutions.has(institutionCode);
}
