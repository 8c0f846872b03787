// Decodes claims.v1 messages at the edge. ClaimEventSchema (zod) is the definition of a valid claim; a
// hand-written check of the same rules runs first because zod costs ~11 µs a claim, most of the CPU budget at
// 50,000 claims/s. The fast check only ever accepts what the schema accepts (a property test holds it to
// that); anything it does not accept goes through the schema, which either accepts it or says why not.
import {
  AMOUNT_FIELDS,
  ClaimEventSchema,
  isCalendarDate,
  isInstant,
  MAX_AMOUNT_FEN,
  PSEUDONYM_PATTERN,
  VISIT_TYPES,
  yuanFen,
  type ClaimEvent,
  type Rejection,
} from '@warnline/contracts';
import { decodeMessage } from '@warnline/runtime';

export type DecodedClaim = { ok: true; claim: ClaimEvent } | { ok: false; rejections: Rejection[]; input: unknown };

const ID = /^[A-Za-z0-9._:-]{1,64}$/;
const AREA_CODE = /^\d{6}$/;
const VISITS: ReadonlySet<unknown> = new Set(VISIT_TYPES);
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const MINUS = 45;

const isId = (v: unknown): v is string => typeof v === 'string' && ID.test(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The claim when it certainly satisfies ClaimEventSchema (unknown fields dropped, as the schema does), else null. */
export function fastClaim(value: unknown): ClaimEvent | null {
  if (!isObject(value)) return null;
  const {
    claimId,
    type,
    reversedClaimId,
    institution,
    visitType,
    serviceDate,
    settledAt,
    amounts,
    personId,
    receivedAt,
    insuredAreaCode,
  } = value;
  if (!isId(claimId)) return null;
  if (type !== 'settlement' && type !== 'reversal') return null;
  if (type === 'reversal' ? !isId(reversedClaimId) || reversedClaimId === claimId : reversedClaimId !== undefined)
    return null;
  if (!isObject(institution) || !isId(institution.code)) return null;
  const level = institution.level;
  if (level !== 1 && level !== 2 && level !== 3) return null;
  if (!VISITS.has(visitType)) return null;
  if (typeof serviceDate !== 'string' || !isCalendarDate(serviceDate)) return null;
  if (typeof settledAt !== 'string' || !isInstant(settledAt)) return null;
  if (typeof receivedAt !== 'string' || !isInstant(receivedAt)) return null;
  if (typeof personId !== 'string' || !PSEUDONYM_PATTERN.test(personId)) return null;
  if (insuredAreaCode !== undefined && (typeof insuredAreaCode !== 'string' || !AREA_CODE.test(insuredAreaCode)))
    return null;
  if (!isObject(amounts)) return null;
  const a = {} as Record<(typeof AMOUNT_FIELDS)[number], string>;
  // Each amount converted once (the checks below reuse it): this runs for every claim.
  const fen = {} as Record<(typeof AMOUNT_FIELDS)[number], number>;
  for (const field of AMOUNT_FIELDS) {
    const v = amounts[field];
    if (typeof v !== 'string') return null;
    // Checked and converted in one pass; a settlement's amounts are never negative, a reversal's may be.
    const f = yuanFen(v);
    if (Number.isNaN(f) || (type === 'settlement' && v.charCodeAt(0) === MINUS)) return null;
    if (Math.abs(f) > MAX_AMOUNT_FEN) return null;
    a[field] = v;
    fen[field] = f;
  }
  // Each amount is at most MAX_AMOUNT_FEN (10^9) in magnitude: every sum below is far inside
  // Number.MAX_SAFE_INTEGER.
  if (
    fen.basicFund + fen.criticalIllness + fen.supplementary + fen.assistance + fen.personalAccount + fen.cash !==
    fen.total
  )
    return null;
  if (Math.abs(fen.policyScope) > Math.abs(fen.total)) return null;
  if (new Date(Date.parse(settledAt) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10) < serviceDate) return null;
  return {
    claimId,
    type,
    ...(type === 'reversal' ? { reversedClaimId: reversedClaimId as string } : {}),
    institution: { code: institution.code, level },
    visitType: visitType as ClaimEvent['visitType'],
    serviceDate,
    settledAt,
    amounts: a,
    personId,
    receivedAt,
    // Where the person is insured: the only hint of a district for a person no registry household lists.
    ...(insuredAreaCode === undefined ? {} : { insuredAreaCode }),
  };
}

/** Parses one message; a bad one becomes rejections for the dead-letter topic, never an exception. */
export function decodeClaim(value: Buffer | null): DecodedClaim {
  const decoded = decodeMessage(value, ClaimEventSchema, fastClaim);
  return decoded.ok ? { ok: true, claim: decoded.value } : decoded;
}
