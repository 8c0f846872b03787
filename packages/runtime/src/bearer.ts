// The bearer check every HTTP service shares. A presented token is hashed and compared with every known
// hash in constant time, so neither the comparison nor the position in the list leaks how much of a guess
// was right. SHA-256 makes every value the same length, which timingSafeEqual requires, and keeps the raw
// tokens out of the long-lived process memory.
import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** The token of an `Authorization: Bearer <token>` header, or null for none or a malformed one. */
export function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  return BEARER.exec(authorization)?.[1] ?? null;
}

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** Finds what a token stands for, in time that does not depend on which entry (if any) matches. */
export interface TokenMatcher<P> {
  match(token: string | null): P | null;
  /** How many tokens are known (0 means every token is refused). */
  readonly size: number;
}

export function createTokenMatcher<P>(entries: readonly { token: string; principal: P }[]): TokenMatcher<P> {
  const known = entries.map((e) => ({ digest: digest(e.token), principal: e.principal }));
  return {
    size: known.length,
    match(token) {
      if (!token) return null;
      const presented = digest(token);
      let found: P | null = null;
      // No early exit: the time taken does not depend on which entry matched.
      for (const k of known) if (timingSafeEqual(presented, k.digest)) found = k.principal;
      return found;
    },
  };
}
