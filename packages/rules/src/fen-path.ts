// The household evaluation from integer fen, for a caller that keeps its totals in fen (the accumulator's
// Redis buckets). Most households are far from every line: no burden test can hold, no assistance class
// applies, and their decision is a handful of sums, a ratio and the rule set's figures (with income unknown,
// the fixed notes that the poverty tests cannot be decided). Those are decided here in integer arithmetic,
// without Decimal; every other household (near a line, an assistance class, income zero, amounts too large
// for exact doubles) goes to the Decimal path, evaluateValidatedHousehold.
// Both give the same decision, field for field (property test: test/fen-path.test.ts).
import { fenToYuan, parseFen, yuanToFen } from '@warnline/contracts';
import type { Decision, EvaluationHousehold, Finding, Usage } from './decision.ts';
import type { VisitClass } from './claim.ts';
import { evaluateValidatedHousehold, unverifiedFinding, usedParameter } from './evaluate.ts';
import { pickClass } from './assistance.ts';
import { entryAt, ruleSetRef } from './registry.ts';
import { addMonths, inWindow, windowOf, type Window } from './calendar.ts';
import { dec, yuanString } from './money.ts';
import { parameterWarnings } from './parameter-warnings.ts';
import type { DatedEntry, FindingCode, IncomeEntry, RuleSet } from './rule-set-schema.ts';

/** Net usage of one person in one month and visit class, in integer fen as decimal text (exact at any size). */
export interface FenUsage {
  personId: string;
  month: string;
  visitClass: VisitClass;
  burdenFen: string;
  selfPayFen: string;
}

export interface FenEvaluationInput {
  household: EvaluationHousehold;
  usage: readonly FenUsage[];
  asOf: string;
}

/**
 * "Far" means at most this share of a line: the lines are compared in doubles here, so a household is decided
 * here only where rounding of the line itself could never matter.
 */
const MARGIN = 0.9;
/** Per value: 13 digits of fen, so that sums of many values stay exact in doubles. */
const FEN_TEXT = /^-?\d{1,13}$/;
/** burden × 20,000 must stay below 2^53 for the exact ratio. */
const MAX_BURDEN_FEN = 100_000_000_000;

/** Same as evaluateValidatedHousehold on the same usage in yuan; from integer fen when the household is far. */
export function evaluateFenHousehold(ruleSet: RuleSet, input: FenEvaluationInput): Decision {
  return (
    decideFarHousehold(ruleSet, input) ??
    evaluateValidatedHousehold(ruleSet, { household: input.household, usage: yuanUsage(input.usage), asOf: input.asOf })
  );
}

/** Fen rows as the Decimal path takes them. */
export function yuanUsage(usage: readonly FenUsage[]): Usage[] {
  return usage.map((u) => ({
    personId: u.personId,
    month: u.month,
    visitClass: u.visitClass,
    personalBurden: fenToYuan(parseFen(u.burdenFen)),
    selfPay: fenToYuan(parseFen(u.selfPayFen)),
  }));
}

/** What a far household's decision takes from the rule set as of a date: computed once per rule set and date. */
interface Figures {
  ref: string;
  window: Window;
  incomeEntry: IncomeEntry;
  lineEntry: DatedEntry | null;
  /** The HIGH_BURDEN line per person, for assistance targets and for others: fen (approximate) and text. */
  highBurden: Record<'targets' | 'others', { fen: number; text: string }>;
  /** Lowest share of income at which a poverty test can fire; null without expenditure poverty. */
  lowestShare: number | null;
  /** The poverty tests of the rule set, in the order the Decimal path runs them. */
  povertyTests: FindingCode[];
  subsistenceFen: number;
}

const figuresCache = new WeakMap<RuleSet, Map<string, Figures | null>>();

function figuresOf(ruleSet: RuleSet, asOf: string): Figures | null {
  let byDate = figuresCache.get(ruleSet);
  if (!byDate) figuresCache.set(ruleSet, (byDate = new Map()));
  let figures = byDate.get(asOf);
  if (figures === undefined) {
    figures = computeFigures(ruleSet, asOf);
    byDate.set(asOf, figures);
  }
  return figures;
}

/** null when the rule set cannot be applied as of that date: the Decimal path says why. */
function computeFigures(ruleSet: RuleSet, asOf: string): Figures | null {
  if (ruleSet.version > asOf) return null;
  try {
    const incomeEntry = entryAt(ruleSet.cityPerCapitaIncome.table, asOf, 'cityPerCapitaIncome');
    const lineEntry =
      ruleSet.subsistenceLineMonthly === null
        ? null
        : entryAt(ruleSet.subsistenceLineMonthly.table, asOf, 'subsistenceLineMonthly');
    const line = (share: string) => {
      const exact = dec(incomeEntry.value).times(dec(share));
      return { fen: exact.times(100).toNumber(), text: yuanString(exact) };
    };
    const ep = ruleSet.expenditurePoverty;
    const approaching = ruleSet.monitoring.approachingShare;
    return {
      ref: ruleSetRef(ruleSet),
      window: windowOf(asOf, ruleSet.window.months),
      incomeEntry,
      lineEntry,
      highBurden: {
        targets: line(ruleSet.monitoring.highBurdenShareTargets.value),
        others: line(ruleSet.monitoring.highBurdenShareOthers.value),
      },
      lowestShare:
        ep === null
          ? null
          : Math.min(Number(ep.kind2Share.value), approaching === null ? Infinity : Number(approaching.value)),
      subsistenceFen: lineEntry === null ? 0 : Number(lineEntry.value) * 100,
      povertyTests:
        ep === null
          ? []
          : [
              'EXPENDITURE_POVERTY_1',
              'EXPENDITURE_POVERTY_2',
              ...(approaching === null ? [] : ['APPROACHING_EXPENDITURE_POVERTY' as const]),
            ],
    };
  } catch {
    return null;
  }
}

/**
 * The decision of a household far from every line, from integer fen; null when it is not (or when its amounts
 * are outside what doubles hold exactly), for the Decimal path to decide.
 */
export function decideFarHousehold(ruleSet: RuleSet, input: FenEvaluationInput): Decision | null {
  const { household, usage, asOf } = input;
  if (pickClass(ruleSet, household.categories) !== null) return null;
  const figures = figuresOf(ruleSet, asOf);
  if (figures === null) return null;
  const incomeFen = household.annualDisposableIncome === null ? null : yuanToFen(household.annualDisposableIncome);
  if (incomeFen !== null && incomeFen <= 0) return null;
  const { window } = figures;

  // Net buckets per person, month and visit class (rows for one bucket add up), nothing after the window.
  const memberIds = [...new Set(household.members.map((m) => m.personId))];
  const members = new Set(memberIds);
  const buckets = new Map<
    string,
    { person: string; month: string; visitClass: VisitClass; burden: number; selfPay: number }
  >();
  for (const u of usage) {
    if (!members.has(u.personId) || u.month > window.to) continue;
    if (!FEN_TEXT.test(u.burdenFen) || !FEN_TEXT.test(u.selfPayFen)) return null;
    const key = `${u.personId}|${u.month}|${u.visitClass}`;
    const b = buckets.get(key);
    if (b) {
      b.burden += Number(u.burdenFen);
      b.selfPay += Number(u.selfPayFen);
    } else {
      buckets.set(key, {
        person: u.personId,
        month: u.month,
        visitClass: u.visitClass,
        burden: Number(u.burdenFen),
        selfPay: Number(u.selfPayFen),
      });
    }
  }
  // A bucket is net: a transiently negative one counts as zero. Only the window's months count.
  const burdenByPerson = new Map<string, number>(memberIds.map((p) => [p, 0]));
  let selfPaid = 0;
  const monthly = new Map<string, Record<VisitClass, number>>();
  for (let i = 0; i < ruleSet.window.months; i++)
    monthly.set(addMonths(window.from, i), { inpatient: 0, outpatient: 0 });
  for (const b of buckets.values()) {
    if (!inWindow(b.month, window)) continue;
    const counted = Math.max(0, b.burden);
    burdenByPerson.set(b.person, burdenByPerson.get(b.person)! + counted);
    monthly.get(b.month)![b.visitClass] += counted;
    selfPaid += Math.max(0, b.selfPay);
  }
  let burden = 0;
  for (const b of burdenByPerson.values()) burden += b;
  if (burden > MAX_BURDEN_FEN || selfPaid > MAX_BURDEN_FEN) return null;

  // Far from the monitoring line of every member (HIGH_BURDEN, CHARITY_REFERRAL without assistance).
  const highBurden = household.categories.length > 0 ? figures.highBurden.targets : figures.highBurden.others;
  for (const b of burdenByPerson.values()) if (b > 0 && b >= highBurden.fen * MARGIN) return null;
  // Far from every expenditure-poverty test: the burden part of each is known to fail. With income unknown
  // the tests are undecided unless the assets test failed: one note per unknown input, at level none (the
  // burden part is not known to hold either).
  const findings: Finding[] = [];
  const ep = ruleSet.expenditurePoverty;
  if (ep !== null && burden > 0) {
    if (incomeFen === null) {
      if (household.assetTestPassed !== false) {
        findings.push(unverifiedFinding(ep, 'annualDisposableIncome', figures.povertyTests, 'none'));
        if (household.assetTestPassed === null)
          findings.push(unverifiedFinding(ep, 'assetTestPassed', figures.povertyTests, 'none'));
      }
    } else {
      if (burden >= incomeFen * figures.lowestShare! * MARGIN) return null;
      const months = 12 * memberIds.length;
      const belowBefore = incomeFen / months <= figures.subsistenceFen * MARGIN;
      const aboveAfter = (incomeFen - burden) / months >= figures.subsistenceFen / MARGIN;
      if (!belowBefore && !aboveAfter) return null;
    }
  }

  const { incomeEntry, lineEntry } = figures;
  return {
    householdId: household.householdId,
    ruleSet: figures.ref,
    asOf,
    window: { from: window.from, to: window.to },
    burden12m: fenToYuan(burden),
    burdenByMonth: [...monthly].map(([month, b]) => ({
      month,
      inpatient: fenToYuan(b.inpatient),
      outpatient: fenToYuan(b.outpatient),
    })),
    selfPaid12m: fenToYuan(selfPaid),
    income: incomeFen === null ? null : fenToYuan(incomeFen),
    burdenRatio: incomeFen === null ? null : ratioText(burden, incomeFen),
    level: 'none',
    findings,
    assistance: {
      total: '0.00',
      capRemaining: '0.00',
      class: null,
      ratios: null,
      capPerPerson: null,
      deductiblePerPerson: null,
      citation: ruleSet.assistance.citation,
    },
    members: memberIds.length,
    parameters: {
      cityPerCapitaIncome: { ...usedParameter(incomeEntry), year: incomeEntry.year },
      subsistenceLineMonthly: lineEntry === null ? null : usedParameter(lineEntry),
      highBurdenLine: highBurden.text,
    },
    warnings: parameterWarnings(figures.ref, asOf, {
      cityPerCapitaIncome: incomeEntry,
      subsistenceLineMonthly: lineEntry,
      yearlyCap: null,
    }),
  };
}

/** burden / income to four decimals, half up, from non-negative integer fen (income > 0). */
function ratioText(burdenFen: number, incomeFen: number): string {
  const tenThousandths = Math.floor((burdenFen * 20_000 + incomeFen) / (2 * incomeFen));
  return `${Math.floor(tenThousandths / 10_000)}.${String(tenThousandths % 10_000).padStart(4, '0')}`;
}
