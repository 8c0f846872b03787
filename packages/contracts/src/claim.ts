// The claim of docs/contracts.md: one settlement (or its reversal) from a hospital HIS, as it arrives (raw,
// with the resident identity number) and as it travels downstream (pseudonymised).
import { z } from 'zod';
import { coded } from './errors.ts';
import { isCalendarDate, isInstant } from './dates.ts';
import { isSignedYuan, isYuan, MAX_AMOUNT_FEN, MAX_AMOUNT_YUAN, yuanToFen } from './money.ts';
import { containsIdentityNumber, residentIdProblem } from './resident-id.ts';

export const VISIT_TYPES = ['inpatient', 'outpatient', 'emergency', 'pharmacy'] as const;
export type VisitType = (typeof VISIT_TYPES)[number];

export const PERSON_ID_TYPES = ['passport', 'other'] as const;

const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
const AREA_CODE_PATTERN = /^\d{6}$/;

// An identifier travels to every topic, Redis key, job id and answer: one that holds an identity number
// would carry it past the pseudonyms.
export const idString = z
  .string()
  .refine((s) => ID_PATTERN.test(s), coded('INVALID_ID'))
  .refine((s) => !containsIdentityNumber(s), coded('IDENTITY_NUMBER_IN_ID'));
export const yuan = z.string().refine(isYuan, coded('INVALID_MONEY'));
/** An amount of a claim: signed here; a settlement's must not be negative (checked with the claim's type). */
const claimAmount = z.string().refine(isSignedYuan, coded('INVALID_MONEY'));
export const calendarDate = z.string().refine(isCalendarDate, coded('INVALID_DATE'));
export const instant = z.string().refine(isInstant, coded('INVALID_INSTANT'));

/** The eight amount fields of a claim, in contract order: what code that walks the amounts iterates over. */
export const AMOUNT_FIELDS = [
  'total',
  'policyScope',
  'basicFund',
  'criticalIllness',
  'supplementary',
  'assistance',
  'personalAccount',
  'cash',
] as const;
export type AmountField = (typeof AMOUNT_FIELDS)[number];

/**
 * The amounts of a claim, yuan strings. A settlement's are never negative; a reversal's may have either sign
 * (they do not decide what it nets: it cancels the settlement it names in full).
 */
export const AmountsSchema = z.object({
  total: claimAmount,
  policyScope: claimAmount,
  basicFund: claimAmount,
  criticalIllness: claimAmount,
  supplementary: claimAmount,
  assistance: claimAmount,
  personalAccount: claimAmount,
  cash: claimAmount,
});
export type Amounts = z.infer<typeof AmountsSchema>;

export const InstitutionSchema = z.object({
  code: idString,
  level: z
    .number()
    .refine((n) => n === 1 || n === 2 || n === 3, coded('INVALID_ENUM', 'institution.level must be 1, 2 or 3')),
});

/** The amount identity of docs/contracts.md, in integer fen so it is exact. */
export function amountIdentityHolds(a: Amounts): boolean {
  const parts = [a.basicFund, a.criticalIllness, a.supplementary, a.assistance, a.personalAccount, a.cash];
  return parts.reduce((sum, v) => sum + yuanToFen(v), 0) === yuanToFen(a.total);
}

const claimFields = {
  claimId: idString,
  type: z.enum(['settlement', 'reversal']),
  reversedClaimId: idString.optional(),
  institution: InstitutionSchema,
  visitType: z.enum(VISIT_TYPES),
  serviceDate: calendarDate,
  settledAt: instant,
  amounts: AmountsSchema,
  /**
   * What the hospital bore itself (the national platform's hosp_part_amt), yuan; outside `amounts.total`,
   * which is what the funds and the person paid. Absent when the sender does not know it.
   */
  hospitalShare: claimAmount.optional(),
  /** The insured person's medical-insurance area (参保地医保区划), a 6-digit division code, when known. */
  insuredAreaCode: z
    .string()
    .refine((s) => AREA_CODE_PATTERN.test(s), coded('INVALID_ID', 'insuredAreaCode must be a 6-digit division code'))
    .optional(),
};

type ClaimCore = {
  claimId: string;
  type: 'settlement' | 'reversal';
  reversedClaimId?: string | undefined;
  amounts: Amounts;
  hospitalShare?: string | undefined;
  serviceDate: string;
  settledAt: string;
};

function checkClaim(claim: ClaimCore, ctx: z.RefinementCtx): void {
  // Zod runs this refinement even when a field refinement (INVALID_MONEY) has already failed, so the
  // amounts may be strings that are not money: the sums are only meaningful, and yuanToFen only safe
  // (it throws, quoting the value), when every amount is valid.
  if (Object.values(claim.amounts).every((v) => typeof v === 'string' && isSignedYuan(v))) {
    for (const [field, value] of Object.entries(claim.amounts)) {
      if (claim.type === 'settlement' && !isYuan(value)) {
        ctx.addIssue({
          code: 'custom',
          path: ['amounts', field],
          ...coded('INVALID_MONEY', `amounts.${field}: a settlement's amounts are never negative`),
        });
      } else if (Math.abs(yuanToFen(value)) > MAX_AMOUNT_FEN) {
        ctx.addIssue({
          code: 'custom',
          path: ['amounts', field],
          ...coded('AMOUNT_TOO_LARGE', `amounts.${field} exceeds ${MAX_AMOUNT_YUAN} yuan`),
        });
      }
    }
    if (!amountIdentityHolds(claim.amounts)) {
      ctx.addIssue({ code: 'custom', path: ['amounts'], ...coded('AMOUNT_IDENTITY') });
    }
    // In magnitude, so a reversal written with negative amounts obeys the same rule.
    if (Math.abs(yuanToFen(claim.amounts.policyScope)) > Math.abs(yuanToFen(claim.amounts.total))) {
      ctx.addIssue({ code: 'custom', path: ['amounts', 'policyScope'], ...coded('POLICY_SCOPE_EXCEEDS_TOTAL') });
    }
  }
  // The hospital's share obeys the rules of the amounts: never negative in a settlement, bounded in size.
  const share = claim.hospitalShare;
  if (share !== undefined && isSignedYuan(share)) {
    if (claim.type === 'settlement' && !isYuan(share)) {
      ctx.addIssue({
        code: 'custom',
        path: ['hospitalShare'],
        ...coded('INVALID_MONEY', "hospitalShare: a settlement's amounts are never negative"),
      });
    } else if (Math.abs(yuanToFen(share)) > MAX_AMOUNT_FEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['hospitalShare'],
        ...coded('AMOUNT_TOO_LARGE', `hospitalShare exceeds ${MAX_AMOUNT_YUAN} yuan`),
      });
    }
  }
  if (claim.type === 'reversal' && claim.reversedClaimId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['reversedClaimId'], ...coded('REVERSAL_TARGET_MISSING') });
  }
  if (claim.type === 'settlement' && claim.reversedClaimId !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['reversedClaimId'], ...coded('REVERSAL_TARGET_UNEXPECTED') });
  }
  if (claim.reversedClaimId !== undefined && claim.reversedClaimId === claim.claimId) {
    ctx.addIssue({ code: 'custom', path: ['reversedClaimId'], ...coded('REVERSAL_OF_ITSELF') });
  }
  // Compare the settlement's Shanghai date with the service date: settling before treatment is a feed bug.
  const settled = Date.parse(claim.settledAt);
  if (!Number.isNaN(settled)) {
    const settledDay = new Date(settled + 8 * 3600_000).toISOString().slice(0, 10);
    if (settledDay < claim.serviceDate) {
      ctx.addIssue({ code: 'custom', path: ['settledAt'], ...coded('SETTLED_BEFORE_SERVICE') });
    }
  }
}

/**
 * A claim as a hospital sends it. `personId` is a resident identity number unless `personIdType` says
 * `passport` or `other` (then an opaque string). Unknown fields are dropped, never passed on.
 */
export const RawClaimSchema = z
  .object({
    ...claimFields,
    personIdType: z.enum(PERSON_ID_TYPES).optional(),
    personId: z.string(),
  })
  .superRefine((claim, ctx) => {
    if (claim.personIdType === undefined) {
      const problem = residentIdProblem(claim.personId);
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          path: ['personId'],
          ...coded('INVALID_PERSON_ID', `personId is not a valid resident identity number (${problem})`),
        });
      }
    } else if (!ID_PATTERN.test(claim.personId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['personId'],
        ...coded('INVALID_ID', 'personId must be 1-64 characters of [A-Za-z0-9._:-]'),
      });
    }
    checkClaim(claim, ctx);
  });
export type RawClaim = z.infer<typeof RawClaimSchema>;

/** Pseudonyms made by ingest: "p_" + 32 hex characters of a keyed HMAC. */
export const PSEUDONYM_PATTERN = /^p_[0-9a-f]{32}$/;
export const pseudonym = z.string().regex(PSEUDONYM_PATTERN);

/**
 * A claim on `claims.v1`: the raw claim with `personId` replaced by the person's pseudonym, plus when
 * and how ingest received it. This is what every consumer after ingest sees.
 */
export const ClaimEventSchema = z
  .object({
    ...claimFields,
    personId: pseudonym,
    receivedAt: instant,
  })
  .superRefine(checkClaim);
export type ClaimEvent = z.infer<typeof ClaimEventSchema>;
