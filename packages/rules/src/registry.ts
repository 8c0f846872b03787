// The rule sets by name and version. A version is in force from its date until the next version's.
import { dayBefore } from './calendar.ts';
import { RulesError, RuleSetNotEffectiveError, UnknownRuleSetError } from './errors.ts';
import {
  RuleSetSchema,
  type Dated,
  type DatedEntry,
  type IncomeEntry,
  type RuleSet,
  type RuleSetInput,
} from './rule-set-schema.ts';
import { shanghai20230701 } from './rule-sets/shanghai.ts';
import { rizhao20220228 } from './rule-sets/rizhao.ts';

/** Parses rule-set data with its schema. @throws RulesError RULE_SET_INVALID listing every problem. */
export function validateRuleSet(input: RuleSetInput): RuleSet {
  const parsed = RuleSetSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({
      code: 'RULE_SET_INVALID' as const,
      field: i.path.map(String).join('.'),
      message: i.message,
    }));
    throw new RulesError('RULE_SET_INVALID', `rule set ${input.id}@${input.version} is invalid`, problems);
  }
  return Object.freeze(parsed.data);
}

/** Versions of each rule set, oldest first. Validated once, at load. */
const VERSIONS: ReadonlyMap<string, readonly RuleSet[]> = new Map([
  ['shanghai', [validateRuleSet(shanghai20230701)]],
  ['rizhao', [validateRuleSet(rizhao20220228)]],
]);

/** `shanghai@2023-07-01`: the name and version a decision reports. */
export function ruleSetRef(ruleSet: Pick<RuleSet, 'id' | 'version'>): string {
  return `${ruleSet.id}@${ruleSet.version}`;
}

/**
 * The version of rule set `name` in force on `asOf` (YYYY-MM-DD).
 * @throws UnknownRuleSetError (RULE_SET_UNKNOWN) for a name no rule set has.
 * @throws RuleSetNotEffectiveError (RULE_SET_NOT_EFFECTIVE) when `asOf` is before the first version.
 */
export function getRuleSet(name: string, asOf: string): RuleSet {
  const versions = VERSIONS.get(name);
  if (versions === undefined) throw new UnknownRuleSetError(name, [...VERSIONS.keys()]);
  const inForce = versions.filter((v) => v.version <= asOf).at(-1);
  if (inForce === undefined) throw new RuleSetNotEffectiveError(name, asOf, versions[0]!.version);
  return inForce;
}

export interface RuleSetSummary {
  id: string;
  version: string;
  ref: string;
  region: string;
  title: string;
  effectiveFrom: string;
  /** The day before the next version, or null while current. */
  effectiveUntil: string | null;
  documents: string[];
}

/** Every rule set and version, with its effective dates. */
export function listRuleSets(): RuleSetSummary[] {
  const out: RuleSetSummary[] = [];
  for (const versions of VERSIONS.values()) {
    versions.forEach((v, i) => {
      const next = versions[i + 1];
      out.push({
        id: v.id,
        version: v.version,
        ref: ruleSetRef(v),
        region: v.region,
        title: v.title,
        effectiveFrom: v.version,
        effectiveUntil: next === undefined ? null : dayBefore(next.version),
        documents: v.documents.map((d) => d.number),
      });
    });
  }
  return out;
}

export function ruleSetNames(): string[] {
  return [...VERSIONS.keys()];
}

/** The entry of a dated table in force on `date`. */
export function entryAt<T extends DatedEntry | IncomeEntry>(table: readonly T[], date: string, what: string): T {
  const entry = table.filter((e) => e.from <= date).at(-1);
  if (entry === undefined) {
    throw new RulesError(
      'PARAMETER_MISSING',
      `no value of ${what} in force on ${date} (first from ${table[0]?.from ?? '-'})`,
    );
  }
  return entry;
}

export type { Dated };
