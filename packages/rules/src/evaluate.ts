// The household evaluation: burden over the window, the tests of 沪府办规〔2022〕19号 四 with their
// preconditions, the monitoring classes of 二(三), charity referral (二(四)1) and the assistance estimate.
import type { Decimal } from 'decimal.js';
import { levelRank, type Level } from '@warnline/contracts';
import { FINDING_CODES, type FindingCode, type RuleSet } from './rule-set-schema.ts';
import { RulesError, RuleSetNotEffectiveError } from './errors.ts';
import { entryAt, ruleSetRef } from './registry.ts';
import { addMonths, inWindow, windowOf, type Window } from './calendar.ts';
import { dec, maxDec, percentString, ratioString, yuanString, ZERO } from './money.ts';
import { estimateAssistance, type SelfPayByMonth } from './assistance.ts';
import { parameterWarnings } from './parameter-warnings.ts';
import type { VisitClass } from './claim.ts';
import {
  EvaluationInputSchema,
  type Decision,
  type DecisionWarning,
  type EvaluationInput,
  type Finding,
  type HouseholdInput,
  type ParameterUsed,
} from './decision.ts';

/** Kleene three-valued truth: null = unknown because an input is unknown. */
type Truth = boolean | null;

interface Condition {
  holds: Truth;
  /** The input that makes it unknown. */
  input?: HouseholdInput;
  /** Part of the burden test itself rather than a precondition of 四. */
  core: boolean;
}

interface TestOutcome {
  code: FindingCode;
  result: Truth;
  unknownInputs: HouseholdInput[];
  /** Every burden condition is known to hold: only preconditions are unknown. */
  coreHolds: boolean;
}

function runTest(code: FindingCode, conditions: readonly Condition[]): TestOutcome {
  const coreHolds = conditions.filter((c) => c.core).every((c) => c.holds === true);
  if (conditions.some((c) => c.holds === false)) return { code, result: false, unknownInputs: [], coreHolds };
  const unknown = conditions.filter((c) => c.holds === null).map((c) => c.input!);
  return { code, result: unknown.length === 0 ? true : null, unknownInputs: [...new Set(unknown)], coreHolds };
}

const TEST_NAMES: Partial<Record<FindingCode, string>> = {
  EXPENDITURE_POVERTY_1: '第一类支出型贫困 (expenditure-type poverty, kind 1)',
  EXPENDITURE_POVERTY_2: '第二类支出型贫困 (expenditure-type poverty, kind 2)',
  APPROACHING_EXPENDITURE_POVERTY: '接近支出型贫困预警 (approaching expenditure-type poverty)',
};

const INPUT_TEXT: Record<HouseholdInput, string> = {
  annualDisposableIncome:
    '家庭年可支配收入未知 (annualDisposableIncome is unknown): 请核实家庭收入 / verify the household income',
  assetTestPassed:
    '家庭财产状况未核实 (assetTestPassed is unknown): 请按低收入困难家庭经济状况认定标准核对财产 / check assets against the low-income assets standard',
};

function maxLevel(levels: readonly Level[]): Level {
  return levels.reduce<Level>((a, b) => (levelRank(b) > levelRank(a) ? b : a), 'none');
}

interface Bucket {
  burden: Decimal;
  selfPay: Decimal;
}

/**
 * Evaluates one household as of a date, from its members' net monthly usage.
 * Pure: the same input gives the same decision. Usage of persons who are not current members, and of months
 * outside the window, does not count toward the burden (earlier months of the window's calendar years still
 * use up the assistance cap and deductible).
 * @throws RulesError INVALID_INPUT when the input does not satisfy EvaluationInputSchema (every problem listed).
 * @throws RuleSetNotEffectiveError when `ruleSet` is not yet in force on `asOf`.
 */
export function evaluateHousehold(ruleSet: RuleSet, input: EvaluationInput): Decision {
  const parsed = EvaluationInputSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({
      code: 'INVALID_INPUT' as const,
      field: i.path.map(String).join('.') || '(input)',
      message: i.message,
    }));
    throw new RulesError('INVALID_INPUT', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  }
  return evaluateValidatedHousehold(ruleSet, parsed.data);
}

/**
 * evaluateHousehold without validating the input again: for a caller that parsed its data at its own edge
 * and builds the input from it (the accumulator, from its Redis state, once per touched household: there
 * the schema check alone was a quarter of the evaluation's cost). The schema has no transforms, so for a
 * valid input the decision is the same; an invalid input gives an unspecified decision instead of an error.
 * @throws RuleSetNotEffectiveError when `ruleSet` is not yet in force on `asOf`.
 */
export function evaluateValidatedHousehold(ruleSet: RuleSet, input: EvaluationInput): Decision {
  const { household, usage, asOf } = input;
  if (ruleSet.version > asOf) throw new RuleSetNotEffectiveError(ruleSet.id, asOf, ruleSet.version);

  const window = windowOf(asOf, ruleSet.window.months);
  const memberIds = [...new Set(household.members.map((m) => m.personId))];
  const members = new Set(memberIds);
  const warnings: DecisionWarning[] = [];

  // Net buckets per person, month and visit class; nothing after the month of asOf.
  const buckets = new Map<string, Map<string, Map<VisitClass, Bucket>>>();
  for (const u of usage) {
    if (!members.has(u.personId) || u.month > window.to) continue;
    const byMonth = buckets.get(u.personId) ?? new Map<string, Map<VisitClass, Bucket>>();
    buckets.set(u.personId, byMonth);
    const byClass = byMonth.get(u.month) ?? new Map<VisitClass, Bucket>();
    byMonth.set(u.month, byClass);
    const b = byClass.get(u.visitClass) ?? { burden: ZERO, selfPay: ZERO };
    byClass.set(u.visitClass, { burden: b.burden.plus(u.personalBurden), selfPay: b.selfPay.plus(u.selfPay) });
  }

  // A bucket is net: a transiently negative one (a reversal before its original) counts as zero.
  const monthly = new Map<string, Record<VisitClass, Decimal>>();
  for (let i = 0; i < ruleSet.window.months; i++)
    monthly.set(addMonths(window.from, i), { inpatient: ZERO, outpatient: ZERO });
  const burdenByPerson = new Map<string, Decimal>();
  const selfPayByPerson = new Map<string, SelfPayByMonth>();
  let selfPaid = ZERO;
  for (const person of memberIds) {
    let burden = ZERO;
    const selfPayMonths = new Map<string, Partial<Record<VisitClass, Decimal>>>();
    for (const [month, byClass] of buckets.get(person) ?? []) {
      const row: Partial<Record<VisitClass, Decimal>> = {};
      for (const [visitClass, b] of byClass) {
        const sp = maxDec(ZERO, b.selfPay);
        row[visitClass] = sp;
        if (inWindow(month, window)) {
          const counted = maxDec(ZERO, b.burden);
          burden = burden.plus(counted);
          selfPaid = selfPaid.plus(sp);
          const inMonth = monthly.get(month)!;
          inMonth[visitClass] = inMonth[visitClass].plus(counted);
        }
      }
      selfPayMonths.set(month, row);
    }
    burdenByPerson.set(person, burden);
    selfPayByPerson.set(person, selfPayMonths);
  }
  const burden = [...burdenByPerson.values()].reduce((a, b) => a.plus(b), ZERO);

  // Dated parameters as of asOf.
  const incomeEntry = entryAt(ruleSet.cityPerCapitaIncome.table, asOf, 'cityPerCapitaIncome');
  const cityAverage = dec(incomeEntry.value);
  const lineEntry =
    ruleSet.subsistenceLineMonthly === null
      ? null
      : entryAt(ruleSet.subsistenceLineMonthly.table, asOf, 'subsistenceLineMonthly');

  const income = household.annualDisposableIncome === null ? null : dec(household.annualDisposableIncome);
  const n = memberIds.length;
  const burdenRatio = income !== null && income.greaterThan(0) ? burden.dividedBy(income) : null;

  const assistance = estimateAssistance(ruleSet, household.categories, memberIds, selfPayByPerson, asOf, window);
  const capClass = assistance.assistanceClass;
  warnings.push(
    ...parameterWarnings(ruleSetRef(ruleSet), asOf, {
      cityPerCapitaIncome: incomeEntry,
      subsistenceLineMonthly: lineEntry,
      yearlyCap:
        capClass === null
          ? null
          : {
              assistanceClass: capClass,
              entry: capClass.yearlyCap.filter((e) => e.from <= asOf).at(-1) ?? capClass.yearlyCap[0]!,
            },
    }),
  );

  const ctx: Context = { ruleSet, window, burden, income, n, cityAverage, assetTestPassed: household.assetTestPassed };
  const findings: Finding[] = [];
  if (ruleSet.expenditurePoverty !== null) {
    findings.push(
      ...povertyFindings(ctx, ruleSet.expenditurePoverty, lineEntry === null ? ZERO : dec(lineEntry.value)),
    );
  }

  // Monitoring lines per person (二(三): 个人年度医疗费用负担).
  const isTarget = household.categories.length > 0;
  const share = dec(
    isTarget ? ruleSet.monitoring.highBurdenShareTargets.value : ruleSet.monitoring.highBurdenShareOthers.value,
  );
  const line = cityAverage.times(share);
  const heavy = memberIds.filter(
    (p) => burdenByPerson.get(p)!.greaterThan(0) && burdenByPerson.get(p)!.greaterThanOrEqualTo(line),
  );
  if (heavy.length > 0) {
    const highest = heavy.map((p) => burdenByPerson.get(p)!).reduce((a, b) => (b.greaterThan(a) ? b : a));
    findings.push({
      code: 'HIGH_BURDEN',
      level: ruleSet.levels.HIGH_BURDEN,
      citation: ruleSet.monitoring.highBurdenShareTargets.citation,
      members: heavy.length,
      message:
        `高额医疗费用负担：${heavy.length} 名家庭成员 ${window.from} 至 ${window.to} 个人实际负担医疗费用达到监测线 ${yuanString(line)} 元` +
        `（上年度居民人均可支配收入 ${yuanString(cityAverage)} 元的 ${percentString(share)}，${isTarget ? '救助对象标准' : '非救助对象标准'}），最高 ${yuanString(highest)} 元。` +
        ` / High medical burden: ${heavy.length} member(s) bore at least ${yuanString(line)} yuan over ${window.from}..${window.to} ` +
        `(${percentString(share)} of last year's per-capita disposable income, the line for ${isTarget ? 'assistance targets' : 'people who are not assistance targets'}); highest ${yuanString(highest)} yuan.`,
    });
  }
  const unreached = memberIds.filter((p) => {
    const b = burdenByPerson.get(p)!;
    return b.greaterThan(0) && b.minus(assistance.perPerson.get(p)!).greaterThanOrEqualTo(line);
  });
  if (unreached.length > 0) {
    const why =
      assistance.assistanceClass === null
        ? '不属于医疗救助对象 / not an assistance target'
        : '扣除医疗救助估算后负担仍重 / still heavy after the assistance estimate';
    findings.push({
      code: 'CHARITY_REFERRAL',
      level: ruleSet.levels.CHARITY_REFERRAL,
      citation: ruleSet.monitoring.charityCitation,
      members: unreached.length,
      message:
        `慈善推介：${unreached.length} 名家庭成员个人负担扣除救助估算后仍达 ${yuanString(line)} 元以上（${why}），可经遴选推荐给慈善组织补充救助。` +
        ` / Charity referral: ${unreached.length} member(s) still bear at least ${yuanString(line)} yuan after the assistance estimate; screen and refer to a charity.`,
    });
  }

  findings.sort((a, b) => FINDING_CODES.indexOf(a.code) - FINDING_CODES.indexOf(b.code));
  const cls = assistance.assistanceClass;
  return {
    householdId: household.householdId,
    ruleSet: ruleSetRef(ruleSet),
    asOf,
    window,
    burden12m: yuanString(burden),
    burdenByMonth: [...monthly].map(([month, b]) => ({
      month,
      inpatient: yuanString(b.inpatient),
      outpatient: yuanString(b.outpatient),
    })),
    selfPaid12m: yuanString(selfPaid),
    income: income === null ? null : yuanString(income),
    burdenRatio: burdenRatio === null ? null : ratioString(burdenRatio),
    level: maxLevel(findings.map((f) => f.level)),
    findings,
    assistance: {
      total: yuanString(assistance.total),
      capRemaining: yuanString(assistance.capRemaining),
      class: cls?.key ?? null,
      ratios: cls === null ? null : { inpatient: cls.inpatient.value, outpatient: cls.outpatient.value },
      capPerPerson: assistance.capPerPerson === null ? null : yuanString(assistance.capPerPerson),
      deductiblePerPerson: assistance.deductiblePerPerson === null ? null : yuanString(assistance.deductiblePerPerson),
      citation: ruleSet.assistance.citation,
    },
    members: n,
    parameters: {
      cityPerCapitaIncome: { ...used(incomeEntry), year: incomeEntry.year },
      subsistenceLineMonthly: lineEntry === null ? null : used(lineEntry),
      highBurdenLine: yuanString(line),
    },
    warnings,
  };
}

function used(entry: {
  value: string;
  citation: string;
  setting?: { why: string; source?: string | undefined } | undefined;
}): ParameterUsed {
  const out: ParameterUsed = { value: entry.value, citation: entry.citation };
  if (entry.setting !== undefined) {
    out.setting = entry.setting.why;
    if (entry.setting.source !== undefined) out.source = entry.setting.source;
  }
  return out;
}

interface Context {
  ruleSet: RuleSet;
  window: Window;
  burden: Decimal;
  income: Decimal | null;
  n: number;
  cityAverage: Decimal;
  assetTestPassed: boolean | null;
}

/** EXPENDITURE_POVERTY_1/2, APPROACHING_EXPENDITURE_POVERTY and PRECONDITION_UNVERIFIED (沪府办规〔2022〕19号 四, 二(三)). */
function povertyFindings(
  ctx: Context,
  ep: NonNullable<RuleSet['expenditurePoverty']>,
  subsistenceLine: Decimal,
): Finding[] {
  const { ruleSet, window, burden: B, income: I, n, cityAverage } = ctx;
  const kind2Share = dec(ep.kind2Share.value);
  const known = <T>(f: (income: Decimal) => T): T | null => (I === null ? null : f(I));

  // Preconditions of 四 for both kinds: per-capita income below last year's city average (低于), and assets.
  const preconditions: Condition[] = [
    { holds: known((i) => i.dividedBy(n).lessThan(cityAverage)), input: 'annualDisposableIncome', core: false },
    { holds: ctx.assetTestPassed, input: 'assetTestPassed', core: false },
  ];
  const someBurden: Condition = { holds: B.greaterThan(0), core: true };

  // Kind 2: yearly medical costs borne reach or exceed 40% of yearly disposable income (达到或超过).
  const ep2 = runTest('EXPENDITURE_POVERTY_2', [
    someBurden,
    { holds: known((i) => B.greaterThanOrEqualTo(i.times(kind2Share))), input: 'annualDisposableIncome', core: true },
    ...preconditions,
  ]);
  // Kind 1: medical costs push monthly per-capita income below the subsistence line; it was not below before.
  const monthly = (amount: Decimal) => amount.dividedBy(12 * n);
  const ep1 = runTest('EXPENDITURE_POVERTY_1', [
    someBurden,
    {
      holds: known((i) => monthly(i).greaterThanOrEqualTo(subsistenceLine)),
      input: 'annualDisposableIncome',
      core: true,
    },
    { holds: known((i) => monthly(i.minus(B)).lessThan(subsistenceLine)), input: 'annualDisposableIncome', core: true },
    ...preconditions,
  ]);
  const tests = [ep1, ep2];
  const approachingShare =
    ruleSet.monitoring.approachingShare === null ? null : dec(ruleSet.monitoring.approachingShare.value);
  if (approachingShare !== null) {
    tests.push(
      runTest('APPROACHING_EXPENDITURE_POVERTY', [
        someBurden,
        {
          holds: known(
            (i) =>
              i.greaterThan(0) && B.greaterThanOrEqualTo(i.times(approachingShare)) && B.lessThan(i.times(kind2Share)),
          ),
          input: 'annualDisposableIncome',
          core: true,
        },
        ...preconditions,
      ]),
    );
  }

  const findings: Finding[] = [];
  const pc = I === null ? '' : yuanString(I.dividedBy(n));
  const preconditionText = `家庭年人均可支配收入 ${pc} 元低于上年度全市居民人均可支配收入 ${yuanString(cityAverage)} 元，财产符合认定标准`;
  const preconditionEn = `per-capita income ${pc} yuan is below last year's city average of ${yuanString(cityAverage)} yuan and the assets test is passed`;
  if (ep2.result === true) {
    const i = I!;
    findings.push({
      code: 'EXPENDITURE_POVERTY_2',
      level: ruleSet.levels.EXPENDITURE_POVERTY_2,
      citation: ep.citation,
      message:
        `第二类支出型贫困：${window.from} 至 ${window.to} 家庭成员个人实际负担医疗费用 ${yuanString(B)} 元，` +
        `${i.isZero() ? '家庭年可支配收入为 0' : `占家庭年可支配收入 ${yuanString(i)} 元的 ${percentString(B.dividedBy(i))}`}（标准：达到或超过 ${percentString(kind2Share)}）；${preconditionText}。可按支出型贫困家庭申请医疗救助。` +
        ` / Expenditure-type poverty, kind 2: medical costs borne over ${window.from}..${window.to} are ${yuanString(B)} yuan, ` +
        `at or above ${percentString(kind2Share)} of the annual disposable income of ${yuanString(i)} yuan; ${preconditionEn}. The household qualifies now.`,
    });
  }
  if (ep1.result === true) {
    const i = I!;
    const line = yuanString(subsistenceLine);
    findings.push({
      code: 'EXPENDITURE_POVERTY_1',
      level: ruleSet.levels.EXPENDITURE_POVERTY_1,
      citation: ep.kind1Citation,
      message:
        `第一类支出型贫困：扣除 ${window.from} 至 ${window.to} 个人实际负担医疗费用 ${yuanString(B)} 元后，家庭月人均可支配收入由 ` +
        `${yuanString(monthly(i))} 元降至 ${yuanString(monthly(i.minus(B)))} 元，低于本市最低生活保障标准 ${line} 元/人·月；${preconditionText}。` +
        ` / Expenditure-type poverty, kind 1: after ${yuanString(B)} yuan of medical costs, monthly per-capita income falls from ` +
        `${yuanString(monthly(i))} to ${yuanString(monthly(i.minus(B)))} yuan, below the subsistence line of ${line} yuan; ${preconditionEn}.`,
    });
  }
  const approaching = tests.find((t) => t.code === 'APPROACHING_EXPENDITURE_POVERTY');
  if (approaching?.result === true) {
    const i = I!;
    findings.push({
      code: 'APPROACHING_EXPENDITURE_POVERTY',
      level: ruleSet.levels.APPROACHING_EXPENDITURE_POVERTY,
      citation: `${ruleSet.monitoring.citation}; ${ep.citation}`,
      message:
        `接近支出型贫困：${window.from} 至 ${window.to} 个人实际负担医疗费用 ${yuanString(B)} 元，占家庭年可支配收入 ${yuanString(i)} 元的 ` +
        `${percentString(B.dividedBy(i))}，已达预警线 ${percentString(approachingShare!)}，距第二类标准 ${percentString(kind2Share)} 尚差 ` +
        `${yuanString(i.times(kind2Share).minus(B))} 元。请街镇及时预警、细致摸排。` +
        ` / Approaching expenditure-type poverty: the burden of ${yuanString(B)} yuan is ${percentString(B.dividedBy(i))} of income, ` +
        `past the ${percentString(approachingShare!)} warning line and ${yuanString(i.times(kind2Share).minus(B))} yuan short of the ${percentString(kind2Share)} test.`,
    });
  }

  // One PRECONDITION_UNVERIFIED per unknown input, naming the tests it leaves undecided.
  for (const input of ['annualDisposableIncome', 'assetTestPassed'] as const) {
    const blocked = tests.filter((t) => t.result === null && t.unknownInputs.includes(input));
    if (blocked.length === 0) continue;
    // The burden part known to hold: the street office should verify now (warning before action, watch before warning).
    const levels = blocked
      .filter((t) => t.coreHolds)
      .map((t): Level => (t.code === 'APPROACHING_EXPENDITURE_POVERTY' ? 'watch' : 'warning'));
    const level = maxLevel(levels);
    const names = blocked.map((t) => TEST_NAMES[t.code]!).join('、');
    findings.push({
      code: 'PRECONDITION_UNVERIFIED',
      level,
      citation: ep.preconditionsCitation,
      input,
      tests: blocked.map((t) => t.code),
      message:
        `无法判定 ${names}：${INPUT_TEXT[input]}。` +
        (level === 'none'
          ? ''
          : ' 按已知数据，医疗负担部分已达标准 / the burden part of the test is already met on known data.'),
    });
  }
  return findings;
}
