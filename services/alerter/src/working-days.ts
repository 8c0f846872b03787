// Working-day arithmetic for the triage time limit ("assign within 3 working days"). Pure. Monday to Friday
// in Asia/Shanghai (UTC+08:00 all year); public holidays and their swapped working weekends are published
// yearly and not known to warnline, so they count as ordinary days of their weekday.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

function isWorkingDay(instantMs: number): boolean {
  const weekday = new Date(instantMs + SHANGHAI_OFFSET_MS).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The instant `days` working days after `from`, at the same time of day (weekends skipped). */
export function addWorkingDays(from: Date, days: number): Date {
  let at = from.getTime();
  for (let counted = 0; counted < days;) {
    at += DAY_MS;
    if (isWorkingDay(at)) counted++;
  }
  return new Date(at);
}
