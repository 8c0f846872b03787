// The alert job a street office receives (docs/contracts.md, "Alerts to street offices").
import { z } from 'zod';

export const LEVELS = ['none', 'watch', 'warning', 'action'] as const;
export type Level = (typeof LEVELS)[number];

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

/** BullMQ priority: a lower number runs first, so `action` before `warning` before `watch`. */
export function alertPriority(level: Level): number {
  return { action: 1, warning: 2, watch: 3, none: 4 }[level];
}

export const FindingSchema = z
  .object({
    code: z.string(),
    citation: z.string(),
    message: z.string(),
  })
  .loose();

/**
 * A note on the decision that never changes its level: which yearly figure of the rule set is stale
 * (PARAMETER_STALE) or not confirmed against its publication (PARAMETER_UNCONFIRMED), with the figure in
 * `parameter`. Codes are added, never renamed.
 */
export const DecisionWarningSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    claimId: z.string().optional(),
    parameter: z
      .object({
        /** `cityPerCapitaIncome`, `subsistenceLineMonthly` or `yearlyCap`. */
        name: z.string(),
        value: z.string(),
        /** The date the figure is in force from. */
        from: z.string(),
        /** cityPerCapitaIncome: the statistical year the figure describes. */
        year: z.number().int().optional(),
        /** yearlyCap: the assistance class. */
        class: z.string().optional(),
        confirmed: z.boolean(),
        source: z.string().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();
export type DecisionWarning = z.infer<typeof DecisionWarningSchema>;

/** One month of a decision's window: the household's personal burden in yuan, by visit class. */
export const MonthBurdenSchema = z.object({ month: z.string(), inpatient: z.string(), outpatient: z.string() });
export type MonthBurden = z.infer<typeof MonthBurdenSchema>;

export const AlertJobDataSchema = z.object({
  householdId: z.string(),
  streetCode: z.string(),
  districtCode: z.string().nullable(),
  level: z.enum(LEVELS),
  findings: z.array(FindingSchema),
  burden12m: z.string(),
  /**
   * The decision's burden month by month (the months of `window`, oldest first), inpatient and outpatient
   * apart; absent on jobs raised before the field existed.
   */
  burdenByMonth: z.array(MonthBurdenSchema).optional(),
  income: z.string().nullable(),
  burdenRatio: z.string().nullable(),
  window: z.object({ from: z.string(), to: z.string() }),
  assistance: z.object({ total: z.string(), capRemaining: z.string().nullable() }).loose(),
  ruleSet: z.string(),
  raisedAt: z.string(),
  /** The decision's warnings (stale or unconfirmed figures it used); absent on jobs raised before the field. */
  warnings: z.array(DecisionWarningSchema).optional(),
});
export type AlertJobData = z.infer<typeof AlertJobDataSchema>;

/** Deterministic per (household, level, window month): a redelivery or re-evaluation never adds a job. */
export function alertJobId(householdId: string, level: Level, windowTo: string): string {
  // BullMQ refuses custom job ids containing ':' (it separates key parts): escape it, join with '|'.
  const safe = householdId.replaceAll('%', '%25').replaceAll(':', '%3A');
  return `${safe}|${level}|${windowTo}`;
}
