// The alert job a street office receives (contracts.md, "Alerts to street offices").
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

export const AlertJobDataSchema = z.object({
  householdId: z.string(),
  streetCode: z.string(),
  districtCode: z.string().nullable(),
  level: z.enum(LEVELS),
  findings: z.array(FindingSchema),
  burden12m: z.string(),
  income: z.string().nullable(),
  burdenRatio: z.string().nullable(),
  window: z.object({ from: z.string(), to: z.string() }),
  assistance: z.object({ total: z.string(), capRemaining: z.string().nullable() }).loose(),
  ruleSet: z.string(),
  raisedAt: z.string(),
});
export type AlertJobData = z.infer<typeof AlertJobDataSchema>;

/** Deterministic per (household, level, window month): a redelivery or re-evaluation never adds a job. */
export function alertJobId(householdId: string, level: Level, windowTo: string): string {
  // BullMQ refuses custom job ids containing ':' (it separates key parts): escape it, join with '|'.
  const safe = householdId.replaceAll('%', '%25').replaceAll(':', '%3A');
  return `${safe}|${level}|${windowTo}`;
}
