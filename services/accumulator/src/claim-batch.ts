// Applies a batch of claims.v1 messages to Redis in one round trip: one Lua call per claim, pipelined.
import { createHash } from 'node:crypto';
import { ClaimEventSchema, monthOf, yuanToFen, type ClaimEvent } from '@warnline/contracts';
import type { Redis } from 'ioredis';
import type { Keys } from './keys.ts';
import { APPLY_RESULT } from './scripts.ts';

export type Decoded = { ok: true; claim: ClaimEvent } | { ok: false; reason: string; detail: string };

/** Parses one message at the edge; a bad one becomes a reason for the DLQ, never an exception. */
export function decodeClaim(value: Buffer | null): Decoded {
  if (!value) return { ok: false, reason: 'UNPARSEABLE_MESSAGE', detail: 'empty message' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'UNPARSEABLE_MESSAGE', detail: 'not JSON' };
  }
  const parsed = ClaimEventSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: 'INVALID_CLAIM', detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  }
  return { ok: true, claim: parsed.data };
}

/** What a claim contributes, in signed integer fen (contracts.md, "Derived per claim"). */
export function claimDelta(claim: ClaimEvent): { bucket: string; burdenFen: number; selfPayFen: number } {
  const a = claim.amounts;
  const fen = yuanToFen;
  const burden = fen(a.personalAccount) + fen(a.cash);
  const selfPay = Math.max(0, fen(a.policyScope) - fen(a.basicFund) - fen(a.criticalIllness) - fen(a.supplementary) - fen(a.assistance));
  const sign = claim.type === 'reversal' ? -1 : 1;
  const visitClass = claim.visitType === 'inpatient' ? 'i' : 'o';
  return { bucket: `${monthOf(claim.serviceDate)}:${visitClass}`, burdenFen: sign * burden, selfPayFen: sign * selfPay };
}

/** The content that must match for a redelivery to count as "the same claim" (receivedAt excluded). */
export function fingerprint(claim: ClaimEvent): string {
  const { receivedAt: _r, ...content } = claim;
  return createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 16);
}

export interface ApplyOutcome {
  claim: ClaimEvent;
  result: 'applied' | 'duplicate' | 'conflict';
}

export async function applyClaims(redis: Redis, keys: Keys, claims: ClaimEvent[]): Promise<ApplyOutcome[]> {
  if (claims.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const claim of claims) {
    const d = claimDelta(claim);
    pipeline.applyClaim(keys.personSeen(claim.personId), keys.personMonths(claim.personId), claim.claimId, fingerprint(claim), d.bucket, d.burdenFen, d.selfPayFen);
  }
  const replies = (await pipeline.exec()) ?? [];
  return claims.map((claim, i) => {
    const [err, code] = replies[i] ?? [new Error('no reply'), null];
    if (err) throw err;
    const result = code === APPLY_RESULT.applied ? 'applied' : code === APPLY_RESULT.duplicate ? 'duplicate' : 'conflict';
    return { claim, result };
  });
}
