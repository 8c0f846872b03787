// The caseworker's side of an alert: lifecycle states, outcomes, the audit event on alerts.audit.v1, and
// the jobs the alerter adds to district and charity queues (the API's error codes are in coded-errors.ts).
// Street-office systems, district dashboards and the charity platform integrate against these: add, never
// rename.
import { z } from 'zod';
import { AlertJobDataSchema, DecisionWarningSchema, FindingSchema, LEVELS } from './alert.ts';

/**
 * A street alert: new → acknowledged → investigating → closed (with an outcome). A triage alert (a household
 * of one, in a district's or the city's triage desk): triage → assigned (to a street, which opens the street
 * alert) or triage → closed (with a triage outcome).
 */
export const ALERT_STATES = ['new', 'acknowledged', 'investigating', 'closed', 'triage', 'assigned'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** How a caseworker closed an alert (分类处置). */
export const ALERT_OUTCOMES = [
  /** Medical assistance granted (or 免申即享 applied). */
  'assistance-granted',
  /** Referred to a charity (慈善推介, 沪府办规〔2022〕19号 二(四)1); adds a job to referrals.charity. */
  'charity-referred',
  /** Temporary assistance (临时救助) granted. */
  'temporary-assistance',
  /** Visited and verified: not eligible. */
  'not-eligible',
  /** The household could not be reached. */
  'unreachable',
  /** The same situation is handled under another alert. */
  'duplicate',
  /** Triage: the person lives in another district; the alert moves to that district's triage desk. */
  'not-resident',
  /** The system's: the person joined a registry household, whose alert now carries the case. */
  'linked',
] as const;
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];

/** The outcomes a triage desk may close with. */
export const TRIAGE_OUTCOMES = ['not-resident', 'duplicate', 'not-eligible'] as const satisfies readonly AlertOutcome[];

/** Time limits a street office (acknowledge, close) or a triage desk (assign) can breach. */
export const BREACHES = ['acknowledge', 'close', 'assign'] as const;
export type Breach = (typeof BREACHES)[number];

/**
 * What happened to an alert. `opened`, `level-raised`, `re-raised` and `overdue` are the system's;
 * `acknowledged`, `investigating` and `closed` are a caseworker's transitions; `reveal-requested` is a
 * caseworker asking for the identity numbers behind the alert (who, when, why; never the numbers).
 */
export const ALERT_ACTIONS = [
  'opened',
  'level-raised',
  're-raised',
  'acknowledged',
  'investigating',
  'closed',
  'overdue',
  /** Triage: handed to a street. */
  'assigned',
  /** Another alert took over from this one or came from it (assignment, hand-over, a person joining a household). */
  'linked',
  'reveal-requested',
] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

const alertLevel = z.enum(LEVELS);

/**
 * One entry of an alert's history, and the message on alerts.audit.v1 (key = alertId). Delivery is at least
 * once: a consumer dedups on `eventId` and orders one alert's events by `seq`.
 */
export const AlertAuditEventSchema = z.object({
  /** `<alertId>#<seq>`: unique per event, stable across redeliveries. */
  eventId: z.string(),
  alertId: z.string(),
  /** 1, 2, 3 … per alert, without gaps. */
  seq: z.number().int().min(1),
  at: z.string(),
  /** Who: the bearer token's configured name and scope role, or `alerter`/`system`. Never the token. */
  actor: z.object({ name: z.string(), role: z.enum(['street', 'district', 'city', 'admin', 'system']) }),
  action: z.enum(ALERT_ACTIONS),
  /** State before (null for `opened`) and after; equal for events that do not change the state. */
  from: z.enum(ALERT_STATES).nullable(),
  to: z.enum(ALERT_STATES),
  /** The alert's level after the event, and before it for `level-raised`. */
  level: alertLevel,
  previousLevel: alertLevel.nullable(),
  outcome: z.enum(ALERT_OUTCOMES).nullable(),
  note: z.string().nullable(),
  /** For `overdue`: which time limit was breached. */
  breach: z.enum(BREACHES).nullable(),
  /** For `opened`, `level-raised`, `re-raised`: the street-queue job that caused it. */
  jobId: z.string().nullable(),
  /** For `reveal-requested`: the purpose the caseworker stated. Absent on other events. */
  purpose: z.string().optional(),
  householdId: z.string(),
  streetCode: z.string(),
  districtCode: z.string(),
  /** For `linked`: the other alert. */
  relatedAlertId: z.string().nullable().optional(),
  /** For `assigned`: the street; for a `not-resident` close: the district (or null). */
  target: z.string().nullable().optional(),
});
export type AlertAuditEvent = z.infer<typeof AlertAuditEventSchema>;

/**
 * Job data on `alerts.district.<districtCode>` (job name = level, job id `<alertId>|<breach>`): a street
 * office breached a time limit on an alert (两级体系: the district follows up).
 */
export const EscalationJobDataSchema = z.object({
  alertId: z.string(),
  householdId: z.string(),
  streetCode: z.string(),
  districtCode: z.string(),
  level: alertLevel,
  breach: z.enum(BREACHES),
  /** The alert's state when the limit was breached. */
  state: z.enum(ALERT_STATES),
  openedAt: z.string(),
  dueAt: z.string(),
  escalatedAt: z.string(),
});
export type EscalationJobData = z.infer<typeof EscalationJobDataSchema>;

/**
 * Job data on `referrals.charity` (job name `referral`, job id = alertId): a caseworker screened the
 * household (遴选) and referred it to charity (慈善推介, 沪府办规〔2022〕19号 二(四)1).
 */
export const CharityReferralJobDataSchema = z.object({
  alertId: z.string(),
  householdId: z.string(),
  streetCode: z.string(),
  districtCode: z.string(),
  level: alertLevel,
  /** Why: the monitoring findings (with their citations) and the caseworker's note. */
  reasons: z.object({ findings: z.array(FindingSchema), note: z.string() }),
  burden12m: z.string(),
  income: z.string().nullable(),
  burdenRatio: z.string().nullable(),
  window: z.object({ from: z.string(), to: z.string() }),
  assistance: z.object({ total: z.string(), capRemaining: z.string().nullable() }).loose(),
  /** The decision's warnings (stale or unconfirmed yearly figures behind the numbers above). */
  warnings: z.array(DecisionWarningSchema).optional(),
  citation: z.string(),
  referredBy: z.string(),
  referredAt: z.string(),
});
export type CharityReferralJobData = z.infer<typeof CharityReferralJobDataSchema>;

/**
 * Job data on `alerts.links` (job name `link`, job id `<personId>|<householdId>`): a person whose household
 * of one had an alert joined a registry household; the alerter folds that alert into the household's.
 */
export const AlertLinkJobDataSchema = z.object({
  personId: z.string(),
  householdId: z.string(),
  streetCode: z.string(),
  districtCode: z.string(),
  linkedAt: z.string(),
});
export type AlertLinkJobData = z.infer<typeof AlertLinkJobDataSchema>;

/** Policy basis of the referral, carried on every charity job. */
export const CHARITY_REFERRAL_CITATION = '沪府办规〔2022〕19号 二(四)1';

/**
 * `<alert>`: one alert as the caseworker API answers it (`GET /v1/alerts/{alertId}`, the listings, a
 * transition's answer). The alerter builds it from its record; the console and other clients read it.
 */
export const AlertViewSchema = z.object({
  alertId: z.string(),
  householdId: z.string(),
  streetCode: z.string(),
  districtCode: z.string(),
  state: z.enum(ALERT_STATES),
  level: z.string(),
  outcome: z.string().nullable(),
  note: z.string().nullable(),
  openedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  investigatingAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  acknowledgeDueAt: z.string(),
  closeDueAt: z.string(),
  overdue: z.object({
    acknowledge: z.string().nullable(),
    close: z.string().nullable(),
    assign: z.string().nullable(),
  }),
  /** An alert of a triage desk (a household of one waiting to be assigned to a street). */
  triage: z.boolean(),
  assignDueAt: z.string().nullable(),
  assignedAt: z.string().nullable(),
  /** Where a triage alert went: the street alert it was assigned to, or the desk it was handed over to. */
  assignedAlertId: z.string().nullable(),
  /** Every alert a `linked` event of this one named. */
  linkedAlertIds: z.array(z.string()),
  /** How many street-queue jobs this alert absorbed (1 + re-raises and level raises). */
  jobs: z.number().int(),
  /** The transitions a caseworker may make now. */
  next: z.array(z.string()),
  /**
   * The latest (highest-level) decision: findings with citations, burden, income, window, assistance, and its
   * warnings (stale or unconfirmed yearly figures; empty for jobs raised before they were carried).
   */
  decision: AlertJobDataSchema.pick({
    findings: true,
    burden12m: true,
    burdenByMonth: true,
    income: true,
    burdenRatio: true,
    window: true,
    assistance: true,
    ruleSet: true,
    raisedAt: true,
  }).extend({ warnings: z.array(DecisionWarningSchema) }),
});
export type AlertView = z.infer<typeof AlertViewSchema>;

/** Who a caseworker API token is, as far as its scope goes (`GET /v1/me` without the name). */
export type TokenScope =
  { role: 'street'; street: string } | { role: 'district'; district: string } | { role: 'city' } | { role: 'admin' };

/** Shortest purpose of a reveal: enough for "入户核查" plus a word, too long for a reflexive "x". */
export const REVEAL_PURPOSE_MIN_LENGTH = 5;

/**
 * May a token reveal the identities behind an alert of this street or triage desk? A street office for its
 * own street, a district for its streets and its triage desk (`<district>000`); the city and admin
 * (operations, oversight) never: they act on cases through a district, which has the people on the ground.
 * The alerter enforces it; a client uses it to offer the reveal only where it will be allowed.
 */
export function mayRevealAlertsOf(scope: TokenScope, streetCode: string): boolean {
  switch (scope.role) {
    case 'street':
      return scope.street === streetCode;
    case 'district':
      return scope.district === streetCode.slice(0, 6);
    case 'city':
    case 'admin':
      return false;
  }
}
