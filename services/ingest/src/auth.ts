// Bearer-token authentication. Tokens come from configuration (config.ts); a presented token is hashed
// and compared with every configured hash in constant time, so neither the comparison nor the position in
// the list leaks how much of a guess was right. Tokens are never logged: callers only see the token's name.
import { createHash, timingSafeEqual } from 'node:crypto';
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

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

// SHA-256 makes every value the same length, which timingSafeEqual requires, and keeps the raw tokens
// out of the long-lived process memory.
const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export function createAuthenticator(entries: readonly TokenEntry[]): Authenticator {
  const known = entries.map((e, i) => ({
    digest: digest(e.token),
    principal: {
      name: e.name ?? `token-${i + 1}`,
      role: e.role,
      institutions: e.institutions === undefined || e.institutions.includes('*') ? 'any' : new Set(e.institutions),
    } satisfies Principal,
  }));
  return {
    size: known.length,
    authenticate(authorization) {
      const match = authorization === undefined ? null : BEARER.exec(authorization);
      if (!match?.[1]) return null;
      const presented = digest(match[1]);
      let found: Principal | null = null;
      // No early exit: the time taken does not depend on which entry (if any) matched.
      for (const k of known) if (timingSafeEqual(presented, k.digest)) found = k.principal;
      return found;
    },
  };
}

/** May this principal submit a claim of that institution? */
export function mayClaimFor(principal: Principal, institutionCode: string): boolean {
  if (principal.role !== 'hospital') return false;
  return principal.institutions === 'any' || principal.institutions.has(institutionCode);
}
