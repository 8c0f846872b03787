// Keys of the naive path (bench only), with the person's hash tag like the accumulator's, so the two-key
// script is valid on Redis Cluster too.
export const naiveKeys = (prefix: string) => ({
  months: (person: string) => `${prefix}:{${person}}:m`,
  claims: (person: string) => `${prefix}:{${person}}:c`,
  /** The person's registry household id (absent: a household of one). */
  householdOf: (person: string) => `${prefix}:{${person}}:h`,
  /** A registry household's record (households.v1 JSON). */
  household: (householdId: string) => `${prefix}:{h:${householdId}}:r`,
});
