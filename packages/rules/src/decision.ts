// The evaluation input of the accumulator and the Decision of docs/contracts.md ("Rule evaluation"). Field names
// of docs/contracts.md are binding; the fields marked "added" are this package's and documented in the README.
import { z } from 'zod';
import { CATEGORIES, type Level } from '@warnline/contracts';
import { isCalendarDate, MONTH } from './calendar.ts';
import { SIGNED_YUAN, YUAN } from './money.ts';
import type { FindingCode } from './rule-set-schema.ts';
import { VISIT_CLASSES } from './claim.ts';

/**
 * A household as the rules need it. Person ids are opaque (pseudonyms downstream of ingest). A household of
 * one (a person with claims and no registry record) has `householdId` = the person's pseudonym, one member,
 * income and assets unknown (null), no categories, and possibly no street or district.
 */
export const EvaluationHouseholdSchema = z
  .object({
    householdId: z.string().min(1),
    streetCode: z.string().nullable().optional(),
    districtCode: z.string().nullable().optional(),
    members: z.array(z.object({ personId: z.string().min(1) }).loose()).min(1),
    annualDisposableIncome: z.string().regex(YUAN, 'a yuan decimal string with at most 2 decimals').nullable(),
    categories: z.array(z.enum(CATEGORIES)),
    assetTestPassed: z.boolean().nullable(),
  })
  .loose();
export type EvaluationHousehold = z.infer<typeof EvaluationHouseholdSchema>;

/** Net usage of one person in one month and visit class, in yuan (the accumulator's fen buckets, as strings). */
export const UsageSchema = z.object({
  personId: z.string().min(1),
  month: z.string().regex(MONTH, 'a month YYYY-MM'),
  visitClass: z.enum(VISIT_CLASSES),
  personalBurden: z.string().regex(SIGNED_YUAN, 'a yuan decimal string with at most 2 decimals'),
  selfPay: z.string().regex(SIGNED_YUAN, 'a yuan decimal string with at most 2 decimals'),
});
export type Usage = z.infer<typeof UsageSchema>;

export const EvaluationInputSchema = z.object({
  household: EvaluationHouseholdSchema,
  /** May include months outside the window (they do not count) and persons no longer members (ignored). */
  usage: z.array(UsageSchema),
  asOf: z.string().refine(isCalendarDate, 'a calendar date YYYY-MM-DD'),
});
export type EvaluationInput = z.infer<typeof EvaluationInputSchema>;

/** An input a test needs, named as in the household record. */
export type HouseholdInput = 'annualDisposableIncome' | 'assetTestPassed';

export interface Finding {
  code: FindingCode;
  /** Added: the level this finding raises; the decision's level is the highest of them. */
  level: Level;
  /** Document number and section, e.g. `沪府办规〔2022〕19号 四`. */
  citation: string;
  /** For a caseworker, in Chinese and English. */
  message: string;
  /** PRECONDITION_UNVERIFIED: the unknown input. */
  input?: HouseholdInput;
  /** PRECONDITION_UNVERIFIED: the tests it leaves undecided. */
  tests?: FindingCode[];
  /** HIGH_BURDEN, CHARITY_REFERRAL: how many current members reach the line. */
  members?: number;
}

/** Codes of `decision.warnings`: stable, added and never renamed. */
export const DECISION_WARNING_CODES = [
  'CLAIM_CONFLICT',
  'REVERSAL_WITHOUT_ORIGINAL',
  'REVERSAL_MISMATCH',
  'REVERSAL_ALREADY_APPLIED',
  'CLAIM_NOT_A_MEMBER',
  'PARAMETER_STALE',
  'PARAMETER_UNCONFIRMED',
] as const;
export type DecisionWarningCode = (typeof DECISION_WARNING_CODES)[number];

/** The yearly figures of a rule set that a warning can name. */
export type YearlyParameterName = 'cityPerCapitaIncome' | 'subsistenceLineMonthly' | 'yearlyCap';

/** The entry of a dated table a PARAMETER_STALE or PARAMETER_UNCONFIRMED warning is about. */
export interface ParameterRef {
  name: YearlyParameterName;
  /** The value used, as in the rule set (yuan, or a share). */
  value: string;
  /** The date the entry is in force from. */
  from: string;
  /** cityPerCapitaIncome: the statistical year the figure describes. */
  year?: number;
  /** yearlyCap: the assistance class whose cap it is. */
  class?: string;
  confirmed: boolean;
  /** Where the figure comes from, when the rule set names it. */
  source?: string;
}

/** Something about the input or the rule-set data the reader should know; never changes the level. */
export interface DecisionWarning {
  code: DecisionWarningCode;
  message: string;
  claimId?: string;
  /** PARAMETER_STALE, PARAMETER_UNCONFIRMED: which figure. */
  parameter?: ParameterRef;
}

export interface ParameterUsed {
  value: string;
  citation: string;
  /** Present when the value is a setting of the rule set. */
  setting?: string;
  source?: string;
}

/** One month of a decision's window: personal burden by visit class, yuan. */
export interface MonthBurden {
  month: string;
  inpatient: string;
  outpatient: string;
}

export interface Decision {
  householdId: string;
  /** `shanghai@2023-07-01`. */
  ruleSet: string;
  asOf: string;
  window: { from: string; to: string };
  /** 个人实际负担 of all current members over the window, yuan. */
  burden12m: string;
  /**
   * Added: burden12m month by month, oldest first, one entry for each month of the window: the members'
   * personal burden in that month, inpatient and outpatient (every other visit type) apart. The entries
   * add up to burden12m exactly.
   */
  burdenByMonth: MonthBurden[];
  /** In-scope self-pay (自负医疗费用) of all current members over the window, yuan. */
  selfPaid12m: string;
  /** Annual household disposable income, or null when unknown. */
  income: string | null;
  /** burden12m / income, 4 decimals; null when income is unknown or zero. */
  burdenRatio: string | null;
  level: Level;
  findings: Finding[];
  assistance: {
    /** Estimated assistance on the window's self-pay under the household's highest category; "0.00" without one. */
    total: string;
    /** What is left of the yearly caps of the current members in the calendar year of asOf; "0.00" without a category. */
    capRemaining: string;
    /** Added: the assistance class used (就高不重复), or null. */
    class: string | null;
    /** Added: the ratios of that class. */
    ratios: { inpatient: string; outpatient: string } | null;
    /** Added: yearly cap per person in the year of asOf. */
    capPerPerson: string | null;
    /** Added: yearly deductible per person in the year of asOf ("0.00" where there is none). */
    deductiblePerPerson: string | null;
    citation: string;
  };
  /** Added: number of current members. */
  members: number;
  /** Added: the dated parameters used, with where they come from. */
  parameters: {
    cityPerCapitaIncome: ParameterUsed & { year: number };
    subsistenceLineMonthly: ParameterUsed | null;
    highBurdenLine: string;
  };
  /** Added: notes on the input (conflicting duplicates, orphan reversals, stale parameters). */
  warnings: DecisionWarning[];
}
