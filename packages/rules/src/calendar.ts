// Months and dates as strings (the calendar is Asia/Shanghai, docs/contracts.md): no Date objects, no clock.
import { addMonths, isCalendarDate, monthOf } from '@warnline/contracts';

export { addMonths, isCalendarDate, monthOf };

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export interface Window {
  /** First month counted, `YYYY-MM`. */
  from: string;
  /** Last month counted (the month of asOf), `YYYY-MM`. */
  to: string;
}

/**
 * The 12 calendar months ending with the month of `asOf` (docs/contracts.md "window"; the 12 months of
 * 沪府办规〔2022〕19号 四). A claim counts in the month of its serviceDate.
 */
export function windowOf(asOf: string, months = 12): Window {
  const to = monthOf(asOf);
  return { from: addMonths(to, -(months - 1)), to };
}

export function inWindow(month: string, window: Window): boolean {
  return month >= window.from && month <= window.to;
}

export function yearOf(monthOrDate: string): number {
  return Number(monthOrDate.slice(0, 4));
}

/** "2024-03-01" → "2024-02-29". Calendar arithmetic on explicit fields, not a clock. */
export function dayBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}
