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
 * Where alerts of households of one went before district triage existed. No longer written; the alerter
 * consumes what is left in it as city triage, so nothing stays there unconsumed.
 */
export const UNROUTED_ALERT_QUEUE = 'alerts.unrouted';

/**
 * Alerts of a household of one (a person with claims and no registry household) whose district is known
 * (from the insured area): the district's triage desk assigns them to a street. Same job data as a street
 * alert, with `householdId` = the person pseudonym, `streetCode` "" and `districtCode` the district.
 */
export function triageQueueName(districtCode: string): string {
  return `alerts.triage.${districtCode}`;
}

/** Alerts of a household of one whose district is unknown (`districtCode` null): the city's triage desk. */
export const CITY_TRIAGE_QUEUE = 'alerts.city.triage';

/** Escalations of triage alerts not assigned in time (escalation job data, breach `assign`). */
export const CITY_ESCALATION_QUEUE = 'alerts.city.escalations';

/** A person with an open household-of-one alert joined a registry household (AlertLinkJobDataSchema). */
export const LINK_QUEUE = 'alerts.links';

/**
 * The code a triage desk goes by where a street code is expected (alert ids, the street directory, Redis
 * keys): `<districtCode>000` (no street code ends in 000), and `000000000` for the city's desk.
 */
export const CITY_TRIAGE_DESK = '000000000';

export function triageDeskOf(districtCode: string | null): string {
  return districtCode === null ? CITY_TRIAGE_DESK : `${districtCode}000`;
}

/** Is this 9-digit code a triage desk (a district's or the city's) rather than a street? */
export function isTriageDesk(code: string): boolean {
  return /^\d{6}000$/.test(code);
}

/** The district a triage desk serves; null for the city's. */
export function districtOfDesk(desk: string): string | null {
  return desk === CITY_TRIAGE_DESK ? null : desk.slice(0, 6);
}

/** The queue a triage desk consumes. */
export function triageDeskQueueName(desk: string): string {
  const district = districtOfDesk(desk);
  return district === null ? CITY_TRIAGE_QUEUE : triageQueueName(district);
}

/**
 * The district of an insured area (参保地医保区划): a 6-digit division code names a district unless it ends in
 * 00 (a city or a province), which names none.
 */
export function districtOfInsuredArea(areaCode: string | undefined): string | null {
  return areaCode !== undefined && /^\d{4}(?!00)\d{2}$/.test(areaCode) ? areaCode : null;
}

export function districtQueueName(districtCode: string): string {
  return `alerts.district.${districtCode}`;
}

export const CHARITY_QUEUE = 'referrals.charity';
