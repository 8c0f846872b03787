// From the Redis state of a household to the input of packages/rules, and from a decision to what is
// material about it. Pure: no I/O.
import { hash } from 'node:crypto';
import type { HouseholdEvent } from '@warnline/contracts';
import type { Decision, EvaluationHousehold, FenUsage } from '@warnline/rules';

/** A bucket field of a person hash: "<YYYY-MM>:<i|o>". */
const BUCKET = /^(\d{4}-\d{2}):([io])$/;

/**
 * A person hash (HGETALL) as net usage rows, one per month and visit class, in integer fen as Redis holds them:
 * the rules decide most households from fen directly (evaluateFenHousehold), and the text is exact at any size.
 */
export function usageOf(personId: string, hash: Record<string, string>): FenUsage[] {
  const rows: FenUsage[] = [];
  for (const [field, value] of Object.entries(hash)) {
    const m = BUCKET.exec(field);
    if (!m) continue;
    const colon = value.indexOf(':');
    rows.push({
      personId,
      month: m[1]!,
      visitClass: m[2] === 'i' ? 'inpatient' : 'outpatient',
      burdenFen: value.slice(0, colon),
      selfPayFen: value.slice(colon + 1),
    });
  }
  return rows;
}

export function hasBuckets(hash: Record<string, string>): boolean {
  return Object.keys(hash).some((f) => BUCKET.test(f));
}

/**
 * The usage of a registry household: only members whose pointer is this household count, so a person listed
 * by two records (one not yet updated after a move) counts once, in the household they joined last.
 */
export function householdUsage(
  householdId: string,
  members: readonly string[],
  hashes: ReadonlyMap<string, Record<string, string>>,
): FenUsage[] {
  const rows: FenUsage[] = [];
  for (const person of members) {
    const hash = hashes.get(person);
    if (hash && hash.h === householdId) rows.push(...usageOf(person, hash));
  }
  return rows;
}

/** The registry record as the rules take it. */
export function evaluationHousehold(record: HouseholdEvent): EvaluationHousehold {
  return {
    householdId: record.householdId,
    streetCode: record.streetCode,
    districtCode: record.districtCode,
    members: record.members.map((m) => ({ personId: m.personId })),
    annualDisposableIncome: record.annualDisposableIncome,
    categories: record.categories,
    assetTestPassed: record.assetTestPassed,
  };
}

/** A person with claims and no registry record: a household of one, keyed by the pseudonym (docs/contracts.md). */
export function soloHousehold(person: string): EvaluationHousehold {
  return {
    householdId: person,
    streetCode: null,
    districtCode: null,
    members: [{ personId: person }],
    annualDisposableIncome: null,
    categories: [],
    assetTestPassed: null,
  };
}

/**
 * What makes a new decision worth publishing on household-status.v1: the level, the findings, the window, the
 * income, the members and the assistance class. Amounts alone moving within a level do not (one message per
 * claim would double the Kafka traffic of the pipeline); the published decision carries them as of its
 * publication.
 */
export function materialDigest(decision: Decision): string {
  const material = [
    decision.level,
    decision.window.from,
    decision.window.to,
    decision.income ?? '',
    decision.members,
    decision.assistance.class ?? '',
    decision.findings
      .map((f) => `${f.code}/${f.level}/${f.input ?? ''}`)
      .sort()
      .join(','),
  ].join('|');
  return hash('sha256', material, 'base64url').slice(0, 10);
}
