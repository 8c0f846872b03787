// Warnings about the yearly figures a decision used. A caseworker reading "上年度人均可支配收入" must be told
// when it is in fact an older year's figure (the new one not yet entered) or one nobody has checked against
// its publication: the level is computed all the same, but the reader knows what to verify.
import { yearOf } from './calendar.ts';
import type { DecisionWarning, ParameterRef, YearlyParameterName } from './decision.ts';
import type { AssistanceClass, DatedEntry, IncomeEntry } from './rule-set-schema.ts';

export interface UsedFigures {
  cityPerCapitaIncome: IncomeEntry;
  subsistenceLineMonthly: DatedEntry | null;
  /** The cap of the assistance class the estimate used, if any. */
  yearlyCap: { assistanceClass: AssistanceClass; entry: DatedEntry } | null;
}

const LABEL: Record<YearlyParameterName, string> = {
  cityPerCapitaIncome: "上年度全市居民人均可支配收入 (last year's city per-capita disposable income)",
  subsistenceLineMonthly: '最低生活保障标准 (subsistence line)',
  yearlyCap: '年度救助限额 (yearly assistance cap)',
};

function ref(
  name: YearlyParameterName,
  entry: DatedEntry,
  extra: { year?: number; class?: string } = {},
): ParameterRef {
  const out: ParameterRef = { name, value: entry.value, from: entry.from, ...extra, confirmed: entry.confirmed };
  if (entry.setting?.source !== undefined) out.source = entry.setting.source;
  return out;
}

/** The same day one year later, as a string ("2024-07-01" → "2025-07-01"); compared as text only. */
function aYearAfter(date: string): string {
  return `${yearOf(date) + 1}${date.slice(4)}`;
}

/**
 * PARAMETER_STALE for a figure the policy renews every year whose renewal is not in the rule set yet (the
 * city income of the year before `asOf`; a subsistence line in force for a year or more), then
 * PARAMETER_UNCONFIRMED for each figure used that is not confirmed against its publication.
 */
export function parameterWarnings(ruleSetRef: string, asOf: string, used: UsedFigures): DecisionWarning[] {
  const warnings: DecisionWarning[] = [];
  const income = used.cityPerCapitaIncome;
  const wanted = yearOf(asOf) - 1;
  if (income.year < wanted) {
    warnings.push({
      code: 'PARAMETER_STALE',
      message:
        `上年度人均可支配收入使用的是 ${income.year} 年数据 ${income.value} 元，规则集 ${ruleSetRef} 尚无 ${wanted} 年数据，请补录后复核。` +
        ` / 上年度人均可支配收入 uses the ${income.year} figure; the ${wanted} figure is not in rule set ${ruleSetRef} yet`,
      parameter: ref('cityPerCapitaIncome', income, { year: income.year }),
    });
  }
  const line = used.subsistenceLineMonthly;
  if (line !== null && aYearAfter(line.from) <= asOf) {
    warnings.push({
      code: 'PARAMETER_STALE',
      message:
        `最低生活保障标准使用的是 ${line.from} 起执行的 ${line.value} 元/人·月，已超过一年未调整，规则集 ${ruleSetRef} 尚无此后的标准，请补录后复核。` +
        ` / the subsistence line of ${line.value} yuan in force from ${line.from} is a year old or more; no later adjustment is in rule set ${ruleSetRef} yet`,
      parameter: ref('subsistenceLineMonthly', line),
    });
  }
  const figures: ParameterRef[] = [ref('cityPerCapitaIncome', income, { year: income.year })];
  if (line !== null) figures.push(ref('subsistenceLineMonthly', line));
  if (used.yearlyCap !== null) {
    figures.push(ref('yearlyCap', used.yearlyCap.entry, { class: used.yearlyCap.assistanceClass.key }));
  }
  for (const figure of figures.filter((f) => !f.confirmed)) {
    const which = figure.year === undefined ? `${figure.from} 起` : `${figure.year} 年`;
    warnings.push({
      code: 'PARAMETER_UNCONFIRMED',
      message:
        `${LABEL[figure.name]}${figure.class === undefined ? '' : ` [${figure.class}]`} ${which} ${figure.value} 未经公开发布文件核实，请以正式公布数据为准。` +
        ` / the figure ${figure.value} (${figure.name}, from ${figure.from}) is not confirmed against its publication`,
      parameter: figure,
    });
  }
  return warnings;
}
