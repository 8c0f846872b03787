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
import { applyRuleSetData, type RuleSetDataFile } from './rule-set-data.ts';

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

/** The built-in rule-set data, by id, oldest version first. */
const BUILT_IN: ReadonlyMap<string, readonly RuleSetInput[]> = new Map([
  ['shanghai', [shanghai20230701]],
  ['rizhao', [rizhao20220228]],
]);

/** `shanghai@2023-07-01`: the name and version a decision reports. */
export function ruleSetRef(ruleSet: Pick<RuleSet, 'id' | 'version'>): string {
  return `${ruleSet.id}@${ruleSet.version}`;
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

/** The rule sets one process evaluates with: the built-in ones, with an operator's data files applied. */
export interface RuleSetRegistry {
  /**
   * The version of rule set `name` in force on `asOf` (YYYY-MM-DD).
   * @throws UnknownRuleSetError (RULE_SET_UNKNOWN) for a name no rule set has.
   * @throws RuleSetNotEffectiveError (RULE_SET_NOT_EFFECTIVE) when `asOf` is before the first version.
   */
  get(name: string, asOf: string): RuleSet;
  /** Every rule set and version, with its effective dates. */
  list(): RuleSetSummary[];
  names(): string[];
}

/**
 * The built-in rule sets with `files` merged over their dated tables (see rule-set-data.ts), each version
 * validated once, here.
 * @throws RulesError RULE_SET_DATA_INVALID for a bad data file, RULE_SET_INVALID when the merged data fails the schema.
 */
export function createRuleSetRegistry(files: readonly RuleSetDataFile[] = []): RuleSetRegistry {
  const inputs = files.length === 0 ? BUILT_IN : applyRuleSetData(BUILT_IN, files);
  const versions: ReadonlyMap<string, readonly RuleSet[]> = new Map(
    [...inputs].map(([id, list]) => [id, list.map(validateRuleSet)]),
  );
  return {
    get(name, asOf) {
      const list = versions.get(name);
      if (list === undefined) throw new UnknownRuleSetError(name, [...versions.keys()]);
      const inForce = list.filter((v) => v.version <= asOf).at(-1);
      if (inForce === undefined) throw new RuleSetNotEffectiveError(name, asOf, list[0]!.version);
      return inForce;
    },
    list() {
      const out: RuleSetSummary[] = [];
      for (const list of versions.values()) {
        list.forEach((v, i) => {
          const next = list[i + 1];
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
    },
    names() {
      return [...versions.keys()];
    },
  };
}

/** The built-in rule sets, without data files. */
const DEFAULT_REGISTRY = createRuleSetRegistry();

/** The built-in version of rule set `name` in force on `asOf`; see RuleSetRegistry.get. */
export function getRuleSet(name: string, asOf: string): RuleSet {
  return DEFAULT_REGISTRY.get(name, asOf);
}

/** Every built-in rule set and version, with its effective dates. */
export function listRuleSets(): RuleSetSummary[] {
  return DEFAULT_REGISTRY.list();
}

export function ruleSetNames(): string[] {
  return DEFAULT_REGISTRY.names();
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
