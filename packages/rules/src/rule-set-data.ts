// Yearly figures an operator adds without a release: next year's city per-capita income, a new subsistence
// line, a published cap. A data file names a rule set and brings entries of its dated tables; they are
// merged over the built-in tables (an entry with the same `from` replaces the built-in one, so a figure can
// also be corrected or confirmed) and the result is validated with the rule-set schema. Reading the files
// is the caller's business: this module takes plain data.
import { z } from 'zod';
import { RulesError, type RulesProblem } from './errors.ts';
import { DatedEntrySchema, IncomeEntrySchema, type RuleSetInput } from './rule-set-schema.ts';

export const RuleSetDataSchema = z
  .object({
    /** The rule set the figures belong to (`shanghai`); they apply to each of its versions. */
    ruleSet: z.string().min(1),
    /** Free text for the operator (who entered what, from which bulletin); not used. */
    note: z.string().optional(),
    cityPerCapitaIncome: z.array(IncomeEntrySchema).optional(),
    subsistenceLineMonthly: z.array(DatedEntrySchema).optional(),
    /** Yearly caps by assistance class key (`low-income`, …). */
    yearlyCap: z.record(z.string(), z.array(DatedEntrySchema)).optional(),
  })
  .strict();
export type RuleSetData = z.infer<typeof RuleSetDataSchema>;

/** One data file: its name (for messages) and its parsed JSON. */
export interface RuleSetDataFile {
  name: string;
  data: unknown;
}

/** Entries of `extra` replace those of `base` with the same `from`; the result is in `from` order. */
function mergeTable<T extends { from: string }>(base: readonly T[], extra: readonly T[]): T[] {
  const byFrom = new Map(base.map((e) => [e.from, e]));
  for (const e of extra) byFrom.set(e.from, e);
  return [...byFrom.values()].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

function invalid(problems: RulesProblem[]): RulesError {
  return new RulesError(
    'RULE_SET_DATA_INVALID',
    `rule-set data is invalid: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
    problems,
  );
}

/**
 * Applies data files, in order, to the built-in rule-set inputs (by id, every version).
 * @throws RulesError RULE_SET_DATA_INVALID listing every problem of every file, each field prefixed with the file name.
 */
export function applyRuleSetData(
  builtIn: ReadonlyMap<string, readonly RuleSetInput[]>,
  files: readonly RuleSetDataFile[],
): Map<string, RuleSetInput[]> {
  const out = new Map([...builtIn].map(([id, versions]) => [id, [...versions]]));
  const problems: RulesProblem[] = [];
  const problem = (file: string, field: string, message: string) =>
    problems.push({ code: 'RULE_SET_DATA_INVALID', field: `${file}: ${field || '(data)'}`, message });

  for (const file of files) {
    const parsed = RuleSetDataSchema.safeParse(file.data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problem(file.name, issue.path.map(String).join('.'), issue.message);
      continue;
    }
    const data = parsed.data;
    const versions = out.get(data.ruleSet);
    if (versions === undefined) {
      problem(
        file.name,
        'ruleSet',
        `no rule set is named ${JSON.stringify(data.ruleSet)}; known: ${[...out.keys()].join(', ')}`,
      );
      continue;
    }
    const merged = versions.map((version): RuleSetInput => {
      const next: RuleSetInput = { ...version };
      if (data.cityPerCapitaIncome !== undefined) {
        next.cityPerCapitaIncome = {
          ...version.cityPerCapitaIncome,
          table: mergeTable(version.cityPerCapitaIncome.table, data.cityPerCapitaIncome),
        };
      }
      if (data.subsistenceLineMonthly !== undefined) {
        if (version.subsistenceLineMonthly === null) {
          problem(
            file.name,
            'subsistenceLineMonthly',
            `rule set ${version.id}@${version.version} has no subsistence line`,
          );
        } else {
          next.subsistenceLineMonthly = {
            ...version.subsistenceLineMonthly,
            table: mergeTable(version.subsistenceLineMonthly.table, data.subsistenceLineMonthly),
          };
        }
      }
      if (data.yearlyCap !== undefined) {
        const keys = new Set(version.assistance.classes.map((c) => c.key));
        for (const key of Object.keys(data.yearlyCap)) {
          if (!keys.has(key))
            problem(
              file.name,
              `yearlyCap.${key}`,
              `rule set ${version.id}@${version.version} has no assistance class ${JSON.stringify(key)}; known: ${[...keys].join(', ')}`,
            );
        }
        next.assistance = {
          ...version.assistance,
          classes: version.assistance.classes.map((c) => {
            const extra = data.yearlyCap?.[c.key];
            return extra === undefined ? c : { ...c, yearlyCap: mergeTable(c.yearlyCap, extra) };
          }),
        };
      }
      return next;
    });
    out.set(data.ruleSet, merged);
  }
  // A problem repeated for each version of a rule set is reported once.
  const unique = [...new Map(problems.map((p) => [`${p.field}\u0000${p.message}`, p])).values()];
  if (unique.length > 0) throw invalid(unique);
  return out;
}
