// The CLI path (docs/contracts.md "Rule evaluation"): a household record and raw claims in, one decision out.
// Duplicates count once, a reversal cancels its original in full in either order, claims aggregate to the
// same monthly usage the accumulator keeps, then evaluateHousehold decides.
import type { Claim, Household } from '@warnline/contracts';
import type { RuleSet } from './rule-set-schema.ts';
import { deriveClaim } from './claim.ts';
import { dec } from './money.ts';
import { evaluateHousehold } from './evaluate.ts';
import type { Decision, DecisionWarning, EvaluationHousehold, Usage } from './decision.ts';

export interface Case {
  household: Household;
  claims: readonly Claim[];
}

/** Matching key of a person: identity numbers compare case-insensitively (a trailing x or X). */
function personKey(personId: string, personIdType: string | undefined): string {
  return personIdType === undefined ? personId.toUpperCase() : `${personIdType}:${personId}`;
}

/** JSON with sorted keys: two deliveries of a claim are the same when this is. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface Aggregated {
  usage: Usage[];
  warnings: DecisionWarning[];
}

/** Does the reversal repeat what it cancels (date, visit type, institution, amounts in fen)? */
function repeats(reversal: Claim, original: Claim): boolean {
  const amounts = (c: Claim) =>
    Object.values(c.amounts)
      .map((v) => dec(v).toFixed(2))
      .join('|');
  return (
    reversal.serviceDate === original.serviceDate &&
    reversal.visitType === original.visitType &&
    canonicalJson(reversal.institution) === canonicalJson(original.institution) &&
    canonicalJson(Object.keys(reversal.amounts).sort()) === canonicalJson(Object.keys(original.amounts).sort()) &&
    amounts(reversal) === amounts(original)
  );
}

/**
 * Claims to net usage. Same claimId with the same content: counted once. Same claimId with different
 * content: the first is kept and a CLAIM_CONFLICT warning names it.
 *
 * A reversal cancels the settlement it names in full, in that settlement's month and visit class, whichever
 * of the two comes first: the settlement then counts nothing. The reversal's own amounts do not decide the
 * netting (a cancellation on the national platform, 2208 门诊结算撤销 / 2305 住院结算撤销, names the settlement
 * and carries no amounts; a partial refund is a full cancellation followed by a new settlement). A reversal
 * whose date, visit type, institution or amounts differ from the settlement still cancels it, with a
 * REVERSAL_MISMATCH warning. Only one reversal of a settlement takes effect (here the one with the lowest
 * claimId, so the decision does not depend on claim order); the others get REVERSAL_ALREADY_APPLIED. A
 * reversal naming no settlement of the same person has no effect (REVERSAL_WITHOUT_ORIGINAL). Claims of
 * non-members do not count (CLAIM_NOT_A_MEMBER).
 */
export function aggregateClaims(claims: readonly Claim[], isMember: (key: string) => boolean): Aggregated {
  const warnings: DecisionWarning[] = [];
  const first = new Map<string, { claim: Claim; json: string }>();
  const conflicted = new Set<string>();
  for (const claim of claims) {
    const json = canonicalJson(claim);
    const seen = first.get(claim.claimId);
    if (seen === undefined) first.set(claim.claimId, { claim, json });
    else if (seen.json !== json) conflicted.add(claim.claimId);
  }
  for (const claimId of conflicted) {
    warnings.push({
      code: 'CLAIM_CONFLICT',
      claimId,
      message: `claim ${claimId} arrived again with different content; the first version is kept`,
    });
  }

  const key = (c: Claim) => personKey(c.personId, c.personIdType);
  const reversalsOf = new Map<string, Claim[]>();
  for (const { claim } of first.values()) {
    if (claim.type !== 'reversal') continue;
    const target = first.get(claim.reversedClaimId!)?.claim;
    if (target === undefined || target.type !== 'settlement' || key(target) !== key(claim)) {
      warnings.push({
        code: 'REVERSAL_WITHOUT_ORIGINAL',
        claimId: claim.claimId,
        message: `reversal ${claim.claimId} names ${claim.reversedClaimId}, which is not a settlement of the same person in the case; it has no effect`,
      });
      continue;
    }
    const list = reversalsOf.get(target.claimId) ?? [];
    list.push(claim);
    reversalsOf.set(target.claimId, list);
  }

  const usage: Usage[] = [];
  for (const { claim } of first.values()) {
    if (claim.type !== 'settlement') continue;
    const d = deriveClaim(claim);
    const reversals = (reversalsOf.get(claim.claimId) ?? []).sort((a, b) => (a.claimId < b.claimId ? -1 : 1));
    const [effective, ...more] = reversals;
    if (effective !== undefined && !repeats(effective, claim)) {
      warnings.push({
        code: 'REVERSAL_MISMATCH',
        claimId: effective.claimId,
        message: `reversal ${effective.claimId} does not repeat the date, visit type, institution and amounts of ${claim.claimId}; it cancels it in full all the same`,
      });
    }
    for (const extra of more) {
      warnings.push({
        code: 'REVERSAL_ALREADY_APPLIED',
        claimId: extra.claimId,
        message: `${claim.claimId} is already cancelled by ${effective!.claimId}; reversal ${extra.claimId} has no effect`,
      });
    }
    if (!isMember(key(claim))) {
      warnings.push({
        code: 'CLAIM_NOT_A_MEMBER',
        claimId: claim.claimId,
        message: `claim ${claim.claimId} is for a person who is not a member of the household; it does not count`,
      });
      continue;
    }
    if (effective !== undefined) continue;
    usage.push({
      personId: key(claim),
      month: d.month,
      visitClass: d.visitClass,
      personalBurden: d.personalBurden.toFixed(2),
      selfPay: d.selfPay.toFixed(2),
    });
  }
  return { usage, warnings };
}

function warningOrder(a: DecisionWarning, b: DecisionWarning): number {
  const ka = `${a.code}\u0000${a.claimId ?? ''}`;
  const kb = `${b.code}\u0000${b.claimId ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Evaluates a case of the CLI: a raw household record and raw claims, as of `asOf`. The result does not
 * depend on claim order or duplicate delivery (except which of two conflicting versions is first).
 */
export function evaluateCase(ruleSet: RuleSet, asOf: string, input: Case): Decision {
  const h = input.household;
  const household: EvaluationHousehold = {
    householdId: h.householdId,
    streetCode: h.streetCode,
    districtCode: h.districtCode,
    members: h.members.map((m) => ({ personId: personKey(m.personId, m.personIdType) })),
    annualDisposableIncome: h.annualDisposableIncome,
    categories: h.categories,
    assetTestPassed: h.assetTestPassed,
  };
  const members = new Set(household.members.map((m) => m.personId));
  const { usage, warnings } = aggregateClaims(input.claims, (key) => members.has(key));
  const decision = evaluateHousehold(ruleSet, { household, usage, asOf });
  return { ...decision, warnings: [...decision.warnings, ...warnings].sort(warningOrder) };
}
