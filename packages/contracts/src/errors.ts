// Stable rejection codes. An HIS integrator or a dashboard keys on these strings, so they never change
// meaning; new ones are added, none is renamed.
import type { z } from 'zod';

export const REJECTION_CODES = {
  NOT_AN_OBJECT: 'the item is not a JSON object',
  MISSING_FIELD: 'a required field is missing',
  WRONG_TYPE: 'a field has the wrong JSON type',
  INVALID_ID: 'an identifier is empty, too long or has characters outside [A-Za-z0-9._:-]',
  INVALID_MONEY: 'money must be a decimal string in yuan with at most 2 decimals',
  INVALID_DATE: 'not a real calendar date in YYYY-MM-DD',
  INVALID_INSTANT: 'not an ISO-8601 instant with an offset',
  INVALID_ENUM: 'a value outside the allowed set',
  INVALID_PERSON_ID: 'not a valid resident identity number (GB 11643: shape, birth date, check digit)',
  AMOUNT_IDENTITY: 'basicFund + criticalIllness + supplementary + assistance + personalAccount + cash must equal total',
  POLICY_SCOPE_EXCEEDS_TOTAL: 'policyScope must not exceed total',
  AMOUNT_TOO_LARGE: 'an amount exceeds 10000000.00 yuan, the largest a claim may carry in one field',
  REVERSAL_TARGET_MISSING: 'a reversal must name the claim it cancels in reversedClaimId',
  REVERSAL_TARGET_UNEXPECTED: 'only a reversal may carry reversedClaimId',
  REVERSAL_OF_ITSELF: 'a reversal cannot cancel itself',
  SERVICE_DATE_IN_FUTURE: 'serviceDate is after today (Asia/Shanghai)',
  SERVICE_DATE_TOO_OLD: 'serviceDate is older than the window the accumulator keeps',
  SETTLED_BEFORE_SERVICE: 'settledAt is before serviceDate',
  DUPLICATE_MEMBER: 'a person is listed twice in the same household',
  INVALID_VERSION: 'version must be a non-negative integer',
  FORBIDDEN_INSTITUTION: 'this token may not submit claims for that institution',
  CLAIM_CONFLICT: 'the claimId was seen before with different content; the first version is kept',
  UNPARSEABLE_MESSAGE: 'the Kafka message is not JSON',
  UNPARSEABLE_LINE:
    'a line of a backfill file is not a JSON object, or not a CSV row with as many cells as the header (quotes unbalanced)',
  UNPROCESSABLE_ITEM: 'ingest failed on this item for a reason of its own; it was dead-lettered for an operator',
  REVERSAL_MISMATCH:
    'the reversal does not repeat the serviceDate, visitType, institution and amounts of the claim it names; it cancels that claim in full all the same (a warning)',
  REVERSAL_ALREADY_APPLIED:
    'the claim this reversal names is already reversed by another reversal; this one has no effect',
  TOO_MANY_MEMBERS: 'a household lists more members than MAX_HOUSEHOLD_MEMBERS (50)',
  RECORD_TOO_LARGE: 'the record made from this input would be larger than Kafka takes in one message',
  PUBLISH_REFUSED:
    'Kafka refused the records made from this input after a retry; the input was parked here for an operator',
  IDENTITY_NUMBER_IN_ID: 'an identifier contains a resident identity number; identifiers must not carry one',
  STREET_OUTSIDE_DISTRICT: "streetCode must begin with districtCode (a street's code begins with its district's)",
  REVERSAL_TARGET_NOT_SETTLEMENT: 'the claim this reversal names is itself a reversal; this one has no effect',
  NHSA_CALL_FAILED: 'the platform answered this call with an error (infcode is not 0): nothing was settled',
  NHSA_UNKNOWN_INFNO: 'infno is not a settlement (2207, 2304) or a cancellation of one (2208, 2305)',
  NHSA_SETTLEMENT_MISSING: 'the response carries no output.setlinfo',
  NHSA_AMOUNT_IDENTITY: 'medfee_sumamt must equal fund_pay_sumamt + psn_part_amt + hosp_part_amt, to the fen',
  NHSA_MED_TYPE_UNKNOWN: 'med_type is not one warnline maps to a visit type (1x, 2x, 41, 51, 52)',
  INSTITUTION_LEVEL_UNKNOWN:
    'the level of this institution (fixmedins_code) is not configured (INGEST_INSTITUTION_LEVELS)',
} as const;

export type RejectionCode = keyof typeof REJECTION_CODES;

/** One reason an input item was refused: which code, which field (dotted path), in words. */
export interface Rejection {
  code: RejectionCode;
  field: string;
  message: string;
}

/** Zod refinement options that tag the issue with a stable code. */
export function coded(code: RejectionCode, message: string = REJECTION_CODES[code]) {
  return { message, params: { code } };
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Maps zod issues to rejections; `input` (the parsed value) tells a missing field from a wrong one.
 * Messages never echo the input value: it may be an identity number.
 */
export function toRejections(issues: readonly z.core.$ZodIssue[], input?: unknown): Rejection[] {
  return issues.map((issue): Rejection => {
    const field = issue.path.map(String).join('.') || '(item)';
    const tagged = issue.code === 'custom' ? (issue.params as { code?: RejectionCode } | undefined)?.code : undefined;
    if (tagged) return { code: tagged, field, message: issue.message };
    if (issue.path.length > 0 && input !== undefined && valueAt(input, issue.path) === undefined) {
      return { code: 'MISSING_FIELD', field, message: `${field} is required` };
    }
    switch (issue.code) {
      case 'invalid_type':
        if (issue.path.length === 0) return { code: 'NOT_AN_OBJECT', field, message: REJECTION_CODES.NOT_AN_OBJECT };
        return { code: 'WRONG_TYPE', field, message: `${field}: expected ${issue.expected}` };
      case 'invalid_value':
        return {
          code: 'INVALID_ENUM',
          field,
          message: `${field}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        };
      default:
        return { code: 'WRONG_TYPE', field, message: `${field}: ${issue.message}` };
    }
  });
}
