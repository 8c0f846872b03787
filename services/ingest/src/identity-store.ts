// The identity store: for every pseudonym ingest issues, the identity number behind it, sealed
// (identity-cipher.ts) under `<IDENTITY_PREFIX>:identity:<pseudonym>` in Redis. Nothing else in warnline
// keeps an identity number; the one way back is the audited reveal (identity-reveal.ts).
//
// Writes are SET NX: the first record of a pseudonym stays (a resend, a second instance or a later key
// never rewrites it), so keeping is idempotent. Ingest is on the hot path of every claim, so a pseudonym
// stored recently is not written again (a bounded in-process set), and one delivery's records go to Redis
// in one pipeline.
import type { Redis } from 'ioredis';
import { serviceError } from '@warnline/contracts';
import type { IdentityCipher, PersonIdentity } from './identity-cipher.ts';
import { RecentSet } from './recent-set.ts';

export type { PersonIdentity } from './identity-cipher.ts';

/** What a reveal finds for one pseudonym. */
export type RevealedIdentity =
  ({ pseudonym: string } & PersonIdentity) | { pseudonym: string; code: 'IDENTITY_NOT_FOUND' | 'IDENTITY_UNREADABLE' };

export interface IdentityStore {
  /** Keeps the identities of one delivery (pseudonym → identity); resolves once Redis has them all. */
  keep(identities: ReadonlyMap<string, PersonIdentity>): Promise<void>;
  /** The identities of some pseudonyms, in their order. */
  reveal(pseudonyms: readonly string[]): Promise<RevealedIdentity[]>;
}

export function identityKey(prefix: string, pseudonym: string): string {
  return `${prefix}:identity:${pseudonym}`;
}

export function createIdentityStore(deps: {
  redis: Redis;
  prefix: string;
  cipher: IdentityCipher;
  /** Most pseudonyms remembered as stored, so they are not written again. Default 200000. */
  recentCapacity?: number;
}): IdentityStore {
  const { redis, prefix, cipher } = deps;
  const recent = new RecentSet(deps.recentCapacity ?? 200_000);

  return {
    async keep(identities) {
      const fresh = [...identities].filter(([pseudonym]) => !recent.has(pseudonym));
      if (fresh.length === 0) return;
      const pipeline = redis.pipeline();
      for (const [pseudonym, identity] of fresh)
        pipeline.set(identityKey(prefix, pseudonym), cipher.seal(pseudonym, identity), 'NX');
      const replies = (await pipeline.exec()) ?? [];
      if (replies.length !== fresh.length) throw serviceError('PIPELINE_REPLY_MISSING');
      const failed = replies.find(([err]) => err !== null);
      if (failed) throw failed[0] as Error;
      for (const [pseudonym] of fresh) recent.add(pseudonym);
    },

    async reveal(pseudonyms) {
      if (pseudonyms.length === 0) return [];
      // One GET per key, not MGET: on a Redis Cluster the keys lie in many slots (createRedisClient sends a
      // pipeline's commands one by one there).
      const pipeline = redis.pipeline();
      for (const p of pseudonyms) pipeline.get(identityKey(prefix, p));
      const replies = (await pipeline.exec()) ?? [];
      if (replies.length !== pseudonyms.length) throw serviceError('PIPELINE_REPLY_MISSING');
      const failed = replies.find(([err]) => err !== null);
      if (failed) throw failed[0] as Error;
      return pseudonyms.map((pseudonym, i): RevealedIdentity => {
        const record = replies[i]![1] as string | null | undefined;
        if (record === null || record === undefined) return { pseudonym, code: 'IDENTITY_NOT_FOUND' };
        try {
          return { pseudonym, ...cipher.open(pseudonym, record) };
        } catch {
          return { pseudonym, code: 'IDENTITY_UNREADABLE' };
        }
      });
    },
  };
}
