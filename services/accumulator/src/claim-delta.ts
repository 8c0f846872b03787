// What one claim contributes, in integer fen, and the fingerprints that tell a redelivery from a conflict and
// a matching reversal from a mismatching one. Pure: no I/O.
import { hash } from 'node:crypto';
import { AMOUNT_FIELDS, monthOf, yuanToFen, type ClaimEvent } from '@warnline/contracts';

export interface ClaimDelta {
  /** YYYY-MM of serviceDate (Asia/Shanghai calendar date as sent): the month the claim counts in. */
  month: string;
  /** "i" inpatient, "o" outpatient (outpatient, emergency and pharmacy share the outpatient ratios). */
  visitClass: 'i' | 'o';
  /** 个人实际负担 = personalAccount + cash, fen; never negative for a settlement (a reversal's is not used). */
  burdenFen: number;
  /** 自负医疗费用 = max(0, policyScope − basicFund − criticalIllness − supplementary − assistance), fen. */
  selfPayFen: number;
}

/** The eight amounts in fen, in contract order (total, policyScope, basicFund, criticalIllness, supplementary, assistance, personalAccount, cash). */
export type AmountsFen = readonly [number, number, number, number, number, number, number, number];

/** Converted once per claim: the delta and the fingerprint both need them (hot path). */
export function amountsFen(claim: ClaimEvent): AmountsFen {
  return AMOUNT_FIELDS.map((field) => yuanToFen(claim.amounts[field])) as unknown as AmountsFen;
}

/** docs/contracts.md "Derived per claim", in integer fen; packages/rules' deriveClaim in Decimal gives the same. */
export function claimDelta(claim: ClaimEvent, fen: AmountsFen = amountsFen(claim)): ClaimDelta {
  const [, policyScope, basicFund, criticalIllness, supplementary, assistance, personalAccount, cash] = fen;
  return {
    month: monthOf(claim.serviceDate),
    visitClass: claim.visitType === 'inpatient' ? 'i' : 'o',
    burdenFen: personalAccount + cash,
    selfPayFen: Math.max(0, policyScope - basicFund - criticalIllness - supplementary - assistance),
  };
}

// crypto.hash: the same SHA-256 as a Hash object, without creating one per call (two per claim on the hot path).
const short = (text: string) => hash('sha256', text, 'base64url').slice(0, 6);

/**
 * 12 characters: 6 of the "economic" content a reversal must repeat (serviceDate, visitType, institution,
 * amounts), then 6 of the rest (type, reversedClaimId, personId, settledAt). `receivedAt` is left out: a
 * resubmission through ingest is the same claim. 36 bits each: a collision can only make a conflict look like
 * a duplicate (the first version is kept either way) or a mismatching reversal look like a matching one.
 */
export function fingerprint(claim: ClaimEvent, fen: AmountsFen = amountsFen(claim)): string {
  // Amounts in fen, so "4000.0" and "4000.00" are the same money.
  const economic = `${claim.serviceDate}|${claim.visitType}|${claim.institution.code}|${claim.institution.level}|${fen.join('|')}`;
  const rest = [claim.type, claim.reversedClaimId ?? '', claim.personId, claim.settledAt].join('|');
  return short(economic) + short(rest);
}
