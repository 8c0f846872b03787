// Kafka topics and BullMQ queue names of docs/contracts.md. Services take the topic names from their config
// (tests use unique names); these are the defaults and the names other systems integrate against.

export const TOPICS = {
  /** HIS feeds that write to Kafka directly (raw claims, real identity numbers). */
  claimsRaw: 'his.claims.raw.v1',
  /** HIS feeds that write their logged national-platform settlement exchanges (raw, real identity numbers). */
  nhsaRaw: 'his.nhsa.raw.v1',
  /** The civil-affairs registry's feed (raw households, compacted by householdId). */
  householdsRaw: 'registry.households.v1',
  /** Validated, pseudonymised claims; key = person pseudonym. */
  claims: 'claims.v1',
  /** Validated, pseudonymised households; key = householdId. */
  households: 'households.v1',
  claimsDlq: 'claims.dlq.v1',
  householdsDlq: 'households.dlq.v1',
  /** Latest decision per household, compacted, key = householdId. */
  householdStatus: 'household-status.v1',
  /** Every alert transition, append-only. */
  alertsAudit: 'alerts.audit.v1',
} as const;

/** BullMQ key prefix for every queue of warnline. */
export const QUEUE_PREFIX = 'warnline';

export function streetQueueName(streetCode: string): string {
  return `alerts.street.${streetCode}`;
}

/**
 * The street directory, under the BullMQ prefix: a Redis set of every street code whose queue has had an
 * alert (`<prefix>:alerts.streets`), and a pub/sub channel of the same name on which the producer announces
 * a street when it first adds to its queue, so the consumer starts on that queue at once.
 */
export function streetDirectoryKey(queuePrefix: string): string {
  return `${queuePrefix}:alerts.streets`;
}

/**
 * Alerts for a person with claims but no registry record (a household of one): no street is known, so they go
 * to this queue (under the same prefix) for the district supervisors to route, never dropped. Same job data
 * as a street alert, with `householdId` = the person pseudonym, `streetCode` "" and `districtCode` null.
 */
export const UNROUTED_ALERT_QUEUE = 'alerts.unrouted';

export function districtQueueName(districtCode: string): string {
  return `alerts.district.${districtCode}`;
}

export const CHARITY_QUEUE = 'referrals.charity';
