// The medical-assistance estimate: ratio by class and visit class, one class per household (就高不重复),
// a yearly deductible and cap per person and calendar year, drawn month by month.
import type { Decimal } from 'decimal.js';
import type { Category } from '@warnline/contracts';
import type { AssistanceClass, DatedEntry, IncomeEntry, RuleSet } from './rule-set-schema.ts';
import { inWindow, yearOf, type Window } from './calendar.ts';
import { dec, minDec, roundFen, ZERO } from './money.ts';
import { VISIT_CLASSES, type VisitClass } from './claim.ts';

/** Net in-scope self-pay of one person, by month then visit class (values ≥ 0). */
export type SelfPayByMonth = ReadonlyMap<string, Readonly<Partial<Record<VisitClass, Decimal>>>>;

export interface AssistanceEstimate {
  assistanceClass: AssistanceClass | null;
  /** Assistance on the window's months, all members. */
  total: Decimal;
  /** Per member, on the window's months. */
  perPerson: Map<string, Decimal>;
  /** Left of the members' caps in the calendar year of asOf. */
  capRemaining: Decimal;
  capPerPerson: Decimal | null;
  deductiblePerPerson: Decimal | null;
}

/** The first class (the highest) holding one of the household's categories: 就高不重复. */
export function pickClass(ruleSet: RuleSet, categories: readonly Category[]): AssistanceClass | null {
  return ruleSet.assistance.classes.find((c) => c.categories.some((k) => categories.includes(k))) ?? null;
}

/** The entry in force on `date`; years before the table's first entry use the first entry. */
function entryOn<T extends DatedEntry | IncomeEntry>(table: readonly [T, ...T[]] | readonly T[], date: string): T {
  return table.filter((e) => e.from <= date).at(-1) ?? (table[0] as T);
}

function yearParameters(
  ruleSet: RuleSet,
  cls: AssistanceClass,
  year: number,
  asOf: string,
): { cap: Decimal; deductible: Decimal } {
  const ref = `${year}-12-31` < asOf ? `${year}-12-31` : asOf;
  const cap = dec(entryOn(cls.yearlyCap, ref).value);
  const income = dec(entryOn(ruleSet.cityPerCapitaIncome.table, ref).value);
  return { cap, deductible: roundFen(dec(cls.deductibleShare.value).times(income)) };
}

/**
 * Estimates assistance for `members` from their self-pay. Months after the window do not count; months
 * before it in the same calendar year count only as they use up the deductible and the cap.
 */
export function estimateAssistance(
  ruleSet: RuleSet,
  categories: readonly Category[],
  members: readonly string[],
  selfPay: ReadonlyMap<string, SelfPayByMonth>,
  asOf: string,
  window: Window,
): AssistanceEstimate {
  const cls = pickClass(ruleSet, categories);
  const perPerson = new Map<string, Decimal>();
  if (cls === null) {
    for (const m of members) perPerson.set(m, ZERO);
    return {
      assistanceClass: null,
      total: ZERO,
      perPerson,
      capRemaining: ZERO,
      capPerPerson: null,
      deductiblePerPerson: null,
    };
  }
  const asOfYear = yearOf(asOf);
  const ratio: Record<VisitClass, Decimal> = {
    inpatient: dec(cls.inpatient.value),
    outpatient: dec(cls.outpatient.value),
  };
  const firstYear = yearOf(window.from);
  let total = ZERO;
  let capRemaining = ZERO;
  for (const person of members) {
    const months = selfPay.get(person) ?? new Map<string, Partial<Record<VisitClass, Decimal>>>();
    const counted = [...months.keys()].filter((m) => yearOf(m) >= firstYear && m <= window.to).sort();
    let personTotal = ZERO;
    for (let year = firstYear; year <= asOfYear; year++) {
      const { cap, deductible } = yearParameters(ruleSet, cls, year, asOf);
      let capLeft = cap;
      let deductibleLeft = deductible;
      for (const month of counted.filter((m) => yearOf(m) === year)) {
        const buckets = months.get(month)!;
        for (const visitClass of VISIT_CLASSES) {
          const base = buckets[visitClass] ?? ZERO;
          const metByDeductible = minDec(base, deductibleLeft);
          deductibleLeft = deductibleLeft.minus(metByDeductible);
          const paid = minDec(roundFen(base.minus(metByDeductible).times(ratio[visitClass])), capLeft);
          capLeft = capLeft.minus(paid);
          if (inWindow(month, window)) personTotal = personTotal.plus(paid);
        }
      }
      if (year === asOfYear) capRemaining = capRemaining.plus(capLeft);
    }
    perPerson.set(person, personTotal);
    total = total.plus(personTotal);
  }
  const current = yearParameters(ruleSet, cls, asOfYear, asOf);
  return {
    assistanceClass: cls,
    total,
    perPerson,
    capRemaining,
    capPerPerson: current.cap,
    deductiblePerPerson: current.deductible,
  };
}
