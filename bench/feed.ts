// The benchmark's synthetic feeds, built on packages/synthetic: raw claims for ingest over HTTP, and
// pseudonymised ClaimEvents for a pre-filled claims.v1, with the oracle of what they must add up to.
import type { ClaimEvent, HouseholdEvent } from '@warnline/contracts';
import {
  generateClaims,
  generateHouseholds,
  interleaved,
  type FeedOptions,
  type NetTotals,
  type RawClaimOut,
  type RawHouseholdOut,
} from '@warnline/synthetic';
import { createPseudonymiser } from '../services/ingest/src/pseudonym.ts';

/**
 * Households enough for `claims` deliveries: the default feed gives about 35 per household (12 claims per
 * person a year, heavy-tailed; 2.9 members per household), so 25 per household leaves a margin.
 */
export function feedOptions(seed: number, claims: number, endDate: string): FeedOptions {
  return { seed, households: Math.max(10, Math.ceil(claims / 25)), endDate };
}

/**
 * At least `target` deliveries, ending at a person boundary: a person's claims are consecutive in the
 * generator, so a cut there never separates a reversal from its original (the oracle and the accumulator
 * would then disagree about a reversal that is still waiting for its claim).
 */
export function* claimsUpTo(
  options: FeedOptions,
  households: RawHouseholdOut[],
  target: number,
): Generator<RawClaimOut> {
  let count = 0;
  let lastPerson: string | undefined;
  for (const claim of generateClaims(options, households)) {
    if (count >= target && claim.personId !== lastPerson) return;
    lastPerson = claim.personId;
    count++;
    yield claim;
  }
  if (count < target) throw new Error(`the feed gave ${count} claims, fewer than ${target}: raise its households`);
}

export type DeliveryOrder = 'interleaved' | 'by-person';

/**
 * The feed in the order the phase delivers it: interleaved (default) mixes people as a real, time-ordered feed
 * does, within a window of 200,000 claims; by-person is the generator's order (a person's claims together),
 * kinder to any consumer that batches per person.
 */
export function deliveryOrder(
  claims: Iterable<RawClaimOut>,
  order: DeliveryOrder,
  seed: number,
): Iterable<RawClaimOut> {
  return order === 'interleaved' ? interleaved(claims, 200_000, seed) : claims;
}

/** Pseudonymises as ingest does (same HMAC, same key), with a cache: a person recurs a dozen times. */
export function cachedPseudonymiser(key: string): (personId: string) => string {
  const pseudonymise = createPseudonymiser(key);
  const cache = new Map<string, string>();
  return (personId) => {
    let p = cache.get(personId);
    if (p === undefined) {
      p = pseudonymise(personId);
      cache.set(personId, p);
    }
    return p;
  };
}

/** The event ingest would write for a valid raw claim: same fields, same order (validate.ts claimEvent). */
export function claimEvent(c: RawClaimOut, personId: string, receivedAt: string): ClaimEvent {
  return {
    claimId: c.claimId,
    type: c.type,
    ...(c.reversedClaimId === undefined ? {} : { reversedClaimId: c.reversedClaimId }),
    personId,
    institution: { code: c.institution.code, level: c.institution.level },
    visitType: c.visitType,
    serviceDate: c.serviceDate,
    settledAt: c.settledAt,
    amounts: { ...c.amounts },
    receivedAt,
  };
}

export function householdEvent(
  h: RawHouseholdOut,
  pseudonym: (id: string) => string,
  receivedAt: string,
): HouseholdEvent {
  return {
    ...h,
    members: h.members.map((m) => ({ personId: pseudonym(m.personId) })),
    categories: [...h.categories],
    receivedAt,
  };
}

/** Feeds every event of a claim stream to the oracle as it passes (the stream is consumed once). */
export function* counted<T extends ClaimEvent>(events: Iterable<T>, oracle: NetTotals): Generator<T> {
  for (const e of events) {
    oracle.add(e);
    yield e;
  }
}

export { generateHouseholds };
