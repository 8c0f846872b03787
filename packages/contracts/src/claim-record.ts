// What the accumulator keeps per claim (its dedup record), where it keeps it, and what that tells the
// institution that sent the claim. The accumulator's Lua (apply-claims-2.lua) writes these records; ingest
// reads them to answer GET /v1/claims/{claimId}. Both build the keys and read the records through this
// module, so the layout lives in one place.
import { createHash } from 'node:crypto';

/** Redis keys of one person (hash tag {p_…}: one Lua script touches one person's keys only, valid on Redis Cluster). */
export const personStateKeys = {
  /** Hash "<YYYY-MM>:<i|o>" → "<burdenFen>:<selfPayFen>", "h" → householdId, "f" → oldest month kept. */
  person: (prefix: string, person: string) => `${prefix}:{${person}}:p`,
  /** Hash claimId → dedup record (below). */
  personClaims: (prefix: string, person: string) => `${prefix}:{${person}}:c`,
  /** Hash: the decision status of the person's household of one. */
  soloStatus: (prefix: string, person: string) => `${prefix}:{${person}}:s`,
} as const;

/**
 * 4 base64url characters of SHA-256 of an institution code: enough to tell the institutions that may ask
 * about a claim apart (24 bits) at 4 bytes per record instead of up to 64.
 */
export function institutionTag(code: string): string {
  return createHash('sha256').update(code).digest('base64url').slice(0, 4);
}

/**
 * States of a dedup record (first character):
 * S settlement counted · X settlement cancelled by a reversal (netted, or never counted when the reversal came
 * first) · P placeholder: a reversal named this id before it arrived · R reversal in effect (its original is
 * cancelled, or will be when it arrives) · N reversal without effect: its original was already cancelled ·
 * M reversal without effect: it names a reversal.
 */
export type ClaimRecordState = 'S' | 'X' | 'P' | 'R' | 'N' | 'M';

/** Flag bits (character 10, a digit 0-7). */
export const RECORD_FLAGS = {
  /** A delivery with the same content arrived again (no effect). */
  duplicate: 1,
  /** A delivery with the same claimId and other content was refused; the first version is kept. */
  conflict: 2,
  /** The reversal's date, visit type, institution or amounts differ from the settlement it cancelled. */
  mismatch: 4,
} as const;

/**
 * A dedup record: "<state><YYYY-MM><i|o><flags><fingerprint 12><institution tag 4>[<burden>:<selfPay>]".
 * Burden and self-pay (fen, base 36) are kept only while a settlement counts (state S): a reversal arriving
 * later subtracts exactly them. Characters 2-8 are the claim's month, which retention pruning reads.
 */
export interface ClaimRecord {
  state: ClaimRecordState;
  month: string;
  visitClass: 'i' | 'o';
  flags: number;
  fingerprint: string;
  institutionTag: string;
}

const RECORD = /^([SXPRNM])(\d{4}-\d{2})([io])([0-7])(.{12})(.{4})/;

export function parseClaimRecord(value: string): ClaimRecord | null {
  const m = RECORD.exec(value);
  if (!m) return null;
  return {
    state: m[1] as ClaimRecordState,
    month: m[2]!,
    visitClass: m[3] as 'i' | 'o',
    flags: Number(m[4]),
    fingerprint: m[5]!,
    institutionTag: m[6]!,
  };
}

/** What became of a claim, as GET /v1/claims/{claimId} answers it. */
export const CLAIM_STATUSES = {
  counted: 'the settlement counts in its month',
  reversed: 'the settlement was cancelled by a reversal and counts nothing',
  'reversal-counted': 'the reversal cancels the settlement it names (now, or when that settlement arrives)',
  'no-effect': 'the reversal changed nothing; `codes` says why',
} as const;
export type ClaimStatus = keyof typeof CLAIM_STATUSES;

export interface ClaimStatusBody {
  claimId: string;
  type: 'settlement' | 'reversal';
  status: ClaimStatus;
  /** YYYY-MM of the claim's serviceDate (the first version kept). */
  month: string;
  /** The same claim was delivered more than once (no effect beyond the first). */
  duplicateDelivered: boolean;
  /**
   * Rejection codes the accumulator gave deliveries of this claimId: CLAIM_CONFLICT (a later version was
   * refused), REVERSAL_MISMATCH (a warning: the reversal differs from what it cancelled, which is cancelled all
   * the same), REVERSAL_ALREADY_APPLIED, REVERSAL_TARGET_NOT_SETTLEMENT. Empty when there is nothing to say.
   */
  codes: ('CLAIM_CONFLICT' | 'REVERSAL_MISMATCH' | 'REVERSAL_ALREADY_APPLIED' | 'REVERSAL_TARGET_NOT_SETTLEMENT')[];
}

/** The answer for a record, or null when it says nothing the sender may learn (a placeholder). */
export function claimStatusOf(claimId: string, record: ClaimRecord): ClaimStatusBody | null {
  const codes: ClaimStatusBody['codes'] = [];
  if (record.flags & RECORD_FLAGS.conflict) codes.push('CLAIM_CONFLICT');
  if (record.flags & RECORD_FLAGS.mismatch) codes.push('REVERSAL_MISMATCH');
  const base = { claimId, month: record.month, duplicateDelivered: (record.flags & RECORD_FLAGS.duplicate) !== 0 };
  switch (record.state) {
    case 'S':
      return { ...base, type: 'settlement', status: 'counted', codes };
    case 'X':
      return { ...base, type: 'settlement', status: 'reversed', codes };
    case 'R':
      return { ...base, type: 'reversal', status: 'reversal-counted', codes };
    case 'N':
      return { ...base, type: 'reversal', status: 'no-effect', codes: ['REVERSAL_ALREADY_APPLIED', ...codes] };
    case 'M':
      return { ...base, type: 'reversal', status: 'no-effect', codes: ['REVERSAL_TARGET_NOT_SETTLEMENT', ...codes] };
    default:
      return null;
  }
}
