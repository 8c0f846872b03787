// Raw input → pseudonymised events, or rejections with stable codes. Pure: the clock comes in as `today`
// and the pseudonym key inside `pseudonymise`, so the same input always gives the same output.
import {
  RawClaimSchema,
  RawHouseholdSchema,
  fenToYuan,
  isCalendarDate,
  monthOf,
  toRejections,
  yuanToFen,
  REJECTION_CODES,
  type Amounts,
  type ClaimEvent,
  type HouseholdEvent,
  type RawClaim,
  type RawHousehold,
  type Rejection,
} from '@warnline/contracts';
import type { Pseudonymise } from './pseudonym.ts';

export type ItemResult<T> = { ok: true; event: T } | { ok: false; rejections: Rejection[] };

export interface ValidationContext {
  pseudonymise: Pseudonymise;
  /** When ingest received the input (ISO instant); the only field of an event that differs on a resend. */
  receivedAt: string;
  /** Today in Asia/Shanghai (YYYY-MM-DD): a later service date is refused. */
  today: string;
  /** First month (YYYY-MM) the accumulator still keeps: an earlier service date is refused. */
  oldestMonth: string;
}

/** The service-date rules that need the clock; the schema has already checked the shape. */
export function serviceDateRejections(
  serviceDate: unknown,
  ctx: Pick<ValidationContext, 'today' | 'oldestMonth'>,
): Rejection[] {
  if (typeof serviceDate !== 'string' || !isCalendarDate(serviceDate)) return [];
  if (serviceDate > ctx.today) {
    return [{ code: 'SERVICE_DATE_IN_FUTURE', field: 'serviceDate', message: REJECTION_CODES.SERVICE_DATE_IN_FUTURE }];
  }
  if (monthOf(serviceDate) < ctx.oldestMonth) {
    return [
      {
        code: 'SERVICE_DATE_TOO_OLD',
        field: 'serviceDate',
        message: `${REJECTION_CODES.SERVICE_DATE_TOO_OLD} (months before ${ctx.oldestMonth} are not kept)`,
      },
    ];
  }
  return [];
}

function serviceDateOf(input: unknown): unknown {
  return input !== null && typeof input === 'object' && !Array.isArray(input)
    ? (input as Record<string, unknown>).serviceDate
    : undefined;
}

export function validateClaim(input: unknown, ctx: ValidationContext): ItemResult<ClaimEvent> {
  const parsed = RawClaimSchema.safeParse(input);
  const dates = serviceDateRejections(serviceDateOf(input), ctx);
  if (!parsed.success) return { ok: false, rejections: [...toRejections(parsed.error.issues, input), ...dates] };
  if (dates.length > 0) return { ok: false, rejections: dates };
  return { ok: true, event: claimEvent(parsed.data, ctx) };
}

export function validateHousehold(input: unknown, ctx: ValidationContext): ItemResult<HouseholdEvent> {
  const parsed = RawHouseholdSchema.safeParse(input);
  if (!parsed.success) return { ok: false, rejections: toRejections(parsed.error.issues, input) };
  return { ok: true, event: householdEvent(parsed.data, ctx) };
}

/** "4000.0" → "4000.00": one spelling per amount, so a resend is byte-identical to the first delivery. */
const canonicalYuan = (value: string) => fenToYuan(yuanToFen(value));

function canonicalAmounts(a: Amounts): Amounts {
  return {
    total: canonicalYuan(a.total),
    policyScope: canonicalYuan(a.policyScope),
    basicFund: canonicalYuan(a.basicFund),
    criticalIllness: canonicalYuan(a.criticalIllness),
    supplementary: canonicalYuan(a.supplementary),
    assistance: canonicalYuan(a.assistance),
    personalAccount: canonicalYuan(a.personalAccount),
    cash: canonicalYuan(a.cash),
  };
}

// Events are built field by field in a fixed order, not spread from the input: the serialised event then
// depends only on the claim's content, never on the key order or extra fields a sender used, and the
// accumulator's content fingerprint (which leaves out receivedAt) sees a resend as the same claim.
function claimEvent(c: RawClaim, ctx: ValidationContext): ClaimEvent {
  return {
    claimId: c.claimId,
    type: c.type,
    ...(c.reversedClaimId === undefined ? {} : { reversedClaimId: c.reversedClaimId }),
    personId: ctx.pseudonymise(c.personId, c.personIdType ?? 'resident'),
    institution: { code: c.institution.code, level: c.institution.level },
    visitType: c.visitType,
    serviceDate: c.serviceDate,
    settledAt: c.settledAt,
    amounts: canonicalAmounts(c.amounts),
    ...(c.hospitalShare === undefined ? {} : { hospitalShare: canonicalYuan(c.hospitalShare) }),
    ...(c.insuredAreaCode === undefined ? {} : { insuredAreaCode: c.insuredAreaCode }),
    receivedAt: ctx.receivedAt,
  };
}

function householdEvent(h: RawHousehold, ctx: ValidationContext): HouseholdEvent {
  return {
    householdId: h.householdId,
    streetCode: h.streetCode,
    districtCode: h.districtCode,
    members: h.members.map((m) => ({ personId: ctx.pseudonymise(m.personId, m.personIdType ?? 'resident') })),
    annualDisposableIncome: h.annualDisposableIncome === null ? null : canonicalYuan(h.annualDisposableIncome),
    categories: [...h.categories],
    assetTestPassed: h.assetTestPassed,
    version: h.version,
    updatedAt: h.updatedAt,
    receivedAt: ctx.receivedAt,
  };
}
