// The shape of a rule set: the policy as data, every number with the clause it comes from, or
// marked as a `setting` where the documents publish none (with the chosen default and why). Parameters that
// change by year are tables by date, so evaluating "as of" a date picks the value then in force.
import { z } from 'zod';
import { CATEGORIES, LEVELS } from '@warnline/contracts';
import { isCalendarDate } from './calendar.ts';
import { DECIMAL } from './money.ts';

const decimalString = z.string().regex(DECIMAL, 'a non-negative decimal string');
const date = z.string().refine(isCalendarDate, 'a calendar date YYYY-MM-DD');
const text = z.string().min(1);

/** Where the documents publish no number: the chosen default, why, and where a figure comes from. */
export const SettingSchema = z.object({
  why: text,
  /** Where an outside figure (statistics bulletin, civil-affairs notice) comes from. */
  source: text.optional(),
});

/** One number of the rule set. */
export const CitedSchema = z.object({
  value: decimalString,
  /** The clause the number comes from; for a setting, the clause that asks for it without a number. */
  citation: text,
  setting: SettingSchema.optional(),
});
export type Cited = z.infer<typeof CitedSchema>;

export const DatedEntrySchema = CitedSchema.extend({
  /** In force from this date (inclusive) until the next entry's `from`. */
  from: date,
  /**
   * True when the value was checked against the published document that sets it (the bulletin or notice
   * named in `setting.source`, or the clause in `citation`); false when it is recalled, a proxy or a chosen
   * default still to be verified. A decision that uses an unconfirmed figure says so in its warnings.
   */
  confirmed: z.boolean(),
});
export type DatedEntry = z.infer<typeof DatedEntrySchema>;

function ascendingFrom(entries: readonly { from: string }[]): boolean {
  return entries.every((e, i) => i === 0 || entries[i - 1]!.from < e.from);
}

export const DatedSchema = z
  .array(DatedEntrySchema)
  .min(1)
  .refine(ascendingFrom, 'entries must be in strictly ascending `from` order');
export type Dated = z.infer<typeof DatedSchema>;

/** The city's per-capita disposable income of residents, one entry per statistical year. */
export const IncomeEntrySchema = DatedEntrySchema.extend({
  /** The statistical year the figure describes; it is "last year's" figure from `from` on. */
  year: z.number().int(),
});
export const IncomeTableSchema = z
  .array(IncomeEntrySchema)
  .min(1)
  .refine(ascendingFrom, 'entries must be in strictly ascending `from` order');
export type IncomeEntry = z.infer<typeof IncomeEntrySchema>;

export const FINDING_CODES = [
  'EXPENDITURE_POVERTY_1',
  'EXPENDITURE_POVERTY_2',
  'APPROACHING_EXPENDITURE_POVERTY',
  'HIGH_BURDEN',
  'CHARITY_REFERRAL',
  'PRECONDITION_UNVERIFIED',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

const LevelSchema = z.enum(LEVELS);

export const AssistanceClassSchema = z.object({
  /** Stable key, e.g. `subsistence`. */
  key: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** The class as the documents name it. */
  name: text,
  /** Household categories (docs/contracts.md) that fall in this class. */
  categories: z.array(z.enum(CATEGORIES)).min(1),
  inpatient: CitedSchema,
  outpatient: CitedSchema,
  /** Yearly deductible as a share of last year's per-capita disposable income; 0 = none. */
  deductibleShare: CitedSchema,
  /** Yearly assistance cap per person (see `capScope`). */
  yearlyCap: DatedSchema,
});
export type AssistanceClass = z.infer<typeof AssistanceClassSchema>;

const ScopeSchema = z.object({
  per: z.literal('person'),
  period: z.literal('calendar-year'),
  /** Inpatient and outpatient draw on one amount. */
  sharedAcrossVisitClasses: z.literal(true),
  citation: text,
  why: text,
});

const InsuredOutpatientSchema = z.object({
  deductible: CitedSchema,
  level1: CitedSchema,
  level2: CitedSchema,
  level3: CitedSchema,
});

export const RuleSetSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    /** The version is the date the version takes effect. */
    version: date,
    region: text,
    title: text,
    documents: z.array(z.object({ number: text, title: text, role: text })).min(1),
    window: z.object({ months: z.literal(12), citation: text, note: text }),
    cityPerCapitaIncome: z.object({ description: text, citation: text, table: IncomeTableSchema }),
    /** Monthly subsistence line per person (低保标准); null where the rule set has no test using it. */
    subsistenceLineMonthly: z.object({ description: text, table: DatedSchema }).nullable(),
    /** The expenditure-type poverty tests; null where the region's documents define none. */
    expenditurePoverty: z
      .object({
        citation: text,
        kind2Share: CitedSchema,
        kind1Citation: text,
        preconditionsCitation: text,
      })
      .nullable(),
    monitoring: z.object({
      citation: text,
      /** APPROACHING_EXPENDITURE_POVERTY: burden at or above this share of household income (below kind 2). */
      approachingShare: CitedSchema.nullable(),
      /** HIGH_BURDEN line as a share of last year's per-capita disposable income, for assistance targets. */
      highBurdenShareTargets: CitedSchema,
      /** The same for everyone else. */
      highBurdenShareOthers: CitedSchema,
      basis: z.object({ per: z.literal('person'), why: text }),
      charityCitation: text,
      charityWhy: text,
    }),
    /** The level each finding raises (docs/contracts.md: none < watch < warning < action). */
    levels: z.object({
      EXPENDITURE_POVERTY_1: LevelSchema,
      EXPENDITURE_POVERTY_2: LevelSchema,
      APPROACHING_EXPENDITURE_POVERTY: LevelSchema,
      HIGH_BURDEN: LevelSchema,
      CHARITY_REFERRAL: LevelSchema,
      why: text,
    }),
    assistance: z.object({
      citation: text,
      /** Classes from the highest to the lowest: a household in several gets the first (就高不重复). */
      classes: z.array(AssistanceClassSchema).min(1),
      precedenceCitation: text,
      capScope: ScopeSchema,
      deductibleScope: ScopeSchema,
      orderWithinMonth: text,
    }),
    /** Employee outpatient/emergency cost sharing (Shanghai 沪府办规〔2021〕18号 二(二)). */
    employeeOutpatient: z
      .object({
        citation: text,
        from: date,
        until: date,
        inService: InsuredOutpatientSchema,
        retiredFrom2001: InsuredOutpatientSchema,
        retiredBefore2001: InsuredOutpatientSchema,
        personalAccount: z.object({
          inServiceShareOfBase: CitedSchema,
          retiredUnder75: CitedSchema,
          retired75AndOver: CitedSchema,
        }),
      })
      .optional(),
  })
  .superRefine((rs, ctx) => {
    const seen = new Map<string, string>();
    rs.assistance.classes.forEach((c, i) => {
      for (const category of c.categories) {
        const other = seen.get(category);
        if (other !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['assistance', 'classes', i, 'categories'],
            message: `category ${category} is already in class ${other}`,
          });
        }
        seen.set(category, c.key);
      }
    });
    if (rs.expenditurePoverty !== null && rs.subsistenceLineMonthly === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['subsistenceLineMonthly'],
        message: 'the kind-1 test needs the subsistence line',
      });
    }
    if (rs.expenditurePoverty === null && rs.monitoring.approachingShare !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['monitoring', 'approachingShare'],
        message: 'approaching needs an expenditure-poverty test to approach',
      });
    }
  });

export type RuleSet = z.infer<typeof RuleSetSchema>;
export type RuleSetInput = z.input<typeof RuleSetSchema>;
