// Pseudonymising and keeping the identity go together: whatever issues a pseudonym downstream (the HTTP API,
// the Kafka input, the national-platform exchanges, a backfill) notes the identity behind it and stores it
// before the events that carry the pseudonym are published. A claim whose person could not be revealed
// later is never published: when the identity store cannot be written, the delivery fails as a whole
// (503 to the sender, a retried batch on the Kafka input).
import { isCodedError, requestError } from '@warnline/contracts';
import type { Outbound } from './intake.ts';
import type { IdentityStore, PersonIdentity } from './identity-store.ts';
import { canonicalPersonId, type Pseudonymise } from './pseudonym.ts';
import type { Publisher } from './publisher.ts';

/** A pseudonymiser that also notes, in `kept`, the identity behind every pseudonym it issues. */
export function keepingPseudonymiser(pseudonymise: Pseudonymise, kept: Map<string, PersonIdentity>): Pseudonymise {
  return (personId, type = 'resident') => {
    const pseudonym = pseudonymise(personId, type);
    kept.set(pseudonym, { personIdType: type, personId: canonicalPersonId(personId, type) });
    return pseudonym;
  };
}

/** The identity store could not take a delivery's identities: nothing of it was published. */
export const identityStoreUnavailable = (cause: unknown) => requestError('IDENTITY_STORE_UNAVAILABLE', { cause });

export function isIdentityStoreUnavailable(err: unknown): boolean {
  return isCodedError(err) && err.code === 'IDENTITY_STORE_UNAVAILABLE';
}

/** Keeps the identities of `identities` in the store, failing with IDENTITY_STORE_UNAVAILABLE. */
export async function keepIdentities(
  store: IdentityStore,
  identities: ReadonlyMap<string, PersonIdentity>,
): Promise<void> {
  if (identities.size === 0) return;
  try {
    await store.keep(identities);
  } catch (err) {
    throw identityStoreUnavailable(err);
  }
}

/**
 * Pseudonymise-and-keep for a tool that builds events itself (a backfill): hand `pseudonymise` to the
 * validation context, then `flush()` before publishing what it produced.
 */
export function createIdentityKeeper(
  pseudonymise: Pseudonymise,
  store: IdentityStore,
): { pseudonymise: Pseudonymise; flush(): Promise<void> } {
  let kept = new Map<string, PersonIdentity>();
  return {
    pseudonymise: (personId, type) => keepingPseudonymiser(pseudonymise, kept)(personId, type),
    async flush() {
      const pending = kept;
      kept = new Map();
      try {
        await keepIdentities(store, pending);
      } catch (err) {
        // Kept for the next flush: the caller retries without pseudonymising again.
        for (const [pseudonym, identity] of pending) kept.set(pseudonym, identity);
        throw err;
      }
    },
  };
}

/** A publisher that keeps a delivery's identities before it publishes the delivery's events. */
export function identityKeepingPublisher(publisher: Publisher, store: IdentityStore): Publisher {
  return {
    async write(out: Outbound) {
      await keepIdentities(store, out.identities);
      await publisher.write(out);
    },
  };
}
