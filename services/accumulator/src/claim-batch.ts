// Applies the claims of one Kafka batch to Redis in one round trip: claims grouped by person, one Lua call
// per person (all that person's claims of the batch, in offset order), pipelined.
import { institutionTag, type ClaimEvent } from '@warnline/contracts';
import type { Redis } from 'ioredis';
import { amountsFen, claimDelta, fingerprint } from './claim-delta.ts';
import type { Keys } from './keys.ts';
import { reply, type ApplyCode } from './scripts.ts';

export interface ApplyOutcome {
  claim: ClaimEvent;
  code: ApplyCode;
  /** Month index (year·12 + month − 1) of the claim's service month, for the active index. */
  monthIndex: number;
}

export interface PersonOutcome {
  person: string;
  /** The registry household the person points at, or null (a household of one). */
  householdId: string | null;
}

export interface BatchOutcome {
  claims: ApplyOutcome[];
  persons: Map<string, PersonOutcome>;
}

// Few institutions, many claims: hash each code once.
const tags = new Map<string, string>();
function tagOf(code: string): string {
  let tag = tags.get(code);
  if (tag === undefined) {
    tag = institutionTag(code);
    if (tags.size < 100_000) tags.set(code, tag);
  }
  return tag;
}

/**
 * Field of the person hash holding the insured area (参保地医保区划) of the person's latest claim that named
 * one: where a household of one's alert is triaged.
 */
export const INSURED_AREA_FIELD = 'a';

/** The insured area of the last claim (in offset order) of the person's claims that carries one. */
function insuredAreaOf(claims: readonly ClaimEvent[], indexes: readonly number[]): string | undefined {
  for (let k = indexes.length - 1; k >= 0; k--) {
    const area = claims[indexes[k]!]!.insuredAreaCode;
    if (area !== undefined) return area;
  }
  return undefined;
}

export function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/** `floor`: the oldest month kept (YYYY-MM); older claims get code -2 and change nothing. */
export async function applyClaims(
  redis: Redis,
  keys: Keys,
  claims: readonly ClaimEvent[],
  floor: string,
): Promise<BatchOutcome> {
  const byPerson = new Map<string, number[]>();
  claims.forEach((claim, i) => {
    const list = byPerson.get(claim.personId);
    if (list) list.push(i);
    else byPerson.set(claim.personId, [i]);
  });
  const months: number[] = new Array<number>(claims.length);
  /** Per person, in order: whether an HSET of the insured area follows their applyClaims (a reply to skip). */
  const areaSet: boolean[] = [];
  const pipeline = redis.pipeline();
  for (const [person, indexes] of byPerson) {
    const argv: string[] = [floor];
    for (const i of indexes) {
      const claim = claims[i]!;
      const fen = amountsFen(claim);
      const d = claimDelta(claim, fen);
      months[i] = monthIndex(d.month);
      // What a settlement adds (and keeps, for a later reversal). A reversal adds nothing of its own: it
      // subtracts what its settlement kept, so its amounts (of either sign) are not passed.
      const kept = claim.type === 'settlement' ? `${d.burdenFen.toString(36)} ${d.selfPayFen.toString(36)}` : '0 0';
      // One argument per claim, fields separated by spaces (no field can hold one): far fewer arguments for
      // the client to encode than nine per claim. Fen in base 36: the dedup record keeps them, in fewer bytes.
      argv.push(
        `${claim.claimId} ${claim.type === 'settlement' ? 's' : 'r'} ${claim.reversedClaimId ?? ''} ${d.month} ${d.visitClass} ${kept} ${fingerprint(claim, fen)} ${tagOf(claim.institution.code)}`,
      );
    }
    pipeline.applyClaims(keys.person(person), keys.personClaims(person), ...argv);
    const area = insuredAreaOf(claims, indexes);
    if (area !== undefined) pipeline.hset(keys.person(person), INSURED_AREA_FIELD, area);
    areaSet.push(area !== undefined);
  }
  const replies = (await pipeline.exec()) ?? [];
  const codes: ApplyCode[] = new Array<ApplyCode>(claims.length);
  const persons = new Map<string, PersonOutcome>();
  let r = 0;
  let p = 0;
  for (const [person, indexes] of byPerson) {
    const [householdId, ...personCodes] = reply<[string | null, ...number[]]>(replies[r++]);
    if (areaSet[p++]) reply<number>(replies[r++]);
    persons.set(person, { person, householdId: householdId ?? null });
    indexes.forEach((i, k) => (codes[i] = personCodes[k] as ApplyCode));
  }
  return { claims: claims.map((claim, i) => ({ claim, code: codes[i]!, monthIndex: months[i]! })), persons };
}
