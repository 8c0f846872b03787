// Every Redis key of the accumulator, built here and nowhere else (conventions.md, habit 4).
// A person's keys share the hash tag {p_…}, a household's the tag {hh:…}: each Lua script touches keys of
// one tag only, so every script stays valid on Redis Cluster.

export interface Keys {
  /** Hash: "<YYYY-MM>:<i|o>:<b|s>" → integer fen (burden, self-pay) of one person's claims. */
  personMonths(person: string): string;
  /** Hash: claimId → fingerprint of the claim's content, for idempotency. */
  personSeen(person: string): string;
  /** String: the householdId the person currently belongs to. */
  personHousehold(person: string): string;
  /** String: the household record (JSON of households.v1). */
  household(householdId: string): string;
  /** Hash: level and window of the last decision published for the household. */
  householdStatus(householdId: string): string;
}

export function createKeys(prefix: string): Keys {
  return {
    personMonths: (p) => `${prefix}:{${p}}:months`,
    personSeen: (p) => `${prefix}:{${p}}:seen`,
    personHousehold: (p) => `${prefix}:{${p}}:household`,
    household: (h) => `${prefix}:{hh:${h}}:record`,
    householdStatus: (h) => `${prefix}:{hh:${h}}:status`,
  };
}
