// Every Redis key of the accumulator, built here and nowhere else.
// A person's keys share the hash tag {p_…}, a registry household's the tag {h:…}, a shard of the active index
// the tag {a:…}: each Lua script touches keys of one tag only, so every script stays valid on Redis Cluster.
// The layout and its memory are explained in the README. A person's keys are built by @warnline/contracts'
// personStateKeys, which ingest uses too to read a claim's dedup record.
import { personStateKeys } from '@warnline/contracts';

export interface Keys {
  /**
   * Hash, one per person: "<YYYY-MM>:<i|o>" → "<burdenFen>:<selfPayFen>" (net, integer fen, inpatient and
   * outpatient apart), "h" → householdId of the person's registry household (absent: a household of one),
   * "f" → the oldest month kept for this person (never moves back).
   */
  person(person: string): string;
  /** Hash, one per person: claimId → the dedup record (apply-claims-2.lua, ClaimRecord in @warnline/contracts). */
  personClaims(person: string): string;
  /** Hash: the decision status of the person's household of one (same fields as household status). */
  soloStatus(person: string): string;
  /**
   * Hash, one per registry household: "rec" → households.v1 JSON, "ver" → its version, "prev" → JSON of the
   * members of the record it replaced, and the decision status fields (see record-decision-2.lua).
   */
  household(householdId: string): string;
  /** Sorted set, one per shard: person → month index (year·12 + month − 1) of their latest claim. */
  activeShard(shard: number): string;
  /** Every shard of the active index. */
  activeShards(): string[];
  /** Shard of a person (by their pseudonym's hex digits: uniform). */
  shardOf(person: string): number;
  /**
   * Deferred evaluation (go-live): a string whose presence defers every evaluation of a batch, the set of the
   * households (`h:<id>`) and persons of households of one (`s:<pseudonym>`) waiting for their evaluation, and
   * the sorted set of go-live alerts (score = job priority) raised in priority order at the end. One hash tag.
   */
  deferral(): { flag: string; targets: string; alerts: string };
}

export function createKeys(prefix: string, shards = 16): Keys {
  const activeShard = (shard: number) => `${prefix}:{a:${shard}}:active`;
  return {
    person: (p) => personStateKeys.person(prefix, p),
    personClaims: (p) => personStateKeys.personClaims(prefix, p),
    soloStatus: (p) => personStateKeys.soloStatus(prefix, p),
    household: (h) => `${prefix}:{h:${h}}:h`,
    activeShard,
    activeShards: () => Array.from({ length: shards }, (_, i) => activeShard(i)),
    deferral: () => ({
      flag: `${prefix}:{deferred}:on`,
      targets: `${prefix}:{deferred}:targets`,
      alerts: `${prefix}:{deferred}:alerts`,
    }),
    shardOf: (p) => {
      // Pseudonyms are "p_" + hex of an HMAC; anything else (tests) still maps somewhere stable.
      const n = Number.parseInt(p.slice(2, 10), 16);
      return Number.isNaN(n) ? 0 : n % shards;
    },
  };
}
