// Resident identity numbers (公民身份号码), GB 11643-1999: 6-digit address code, 8-digit birth date,
// 3-digit sequence, 1 check character computed with ISO 7064 MOD 11-2.

import { isCalendarDate } from './dates.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

/** The check character for the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '?';
}

/** Upper-cases the check character: "…002x" and "…002X" are the same person. */
export function normaliseResidentId(value: string): string {
  return value.toUpperCase();
}

export type ResidentIdProblem = 'shape' | 'birth-date' | 'check-digit';

/** Why a string is not a valid resident identity number, or null when it is one. */
export function residentIdProblem(value: string): ResidentIdProblem | null {
  const id = normaliseResidentId(value);
  if (!SHAPE.test(id)) return 'shape';
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isCalendarDate(birth)) return 'birth-date';
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) return 'check-digit';
  return null;
}

/** Masks an identity number for error messages and dead letters: keeps nothing that identifies. */
export function maskPersonId(value: unknown): string {
  if (typeof value !== 'string') return '<not a string>';
  return `<${value.length} chars masked>`;
}

/** Runs of 15 or more digits (an optional trailing X): first- and second-generation identity numbers. */
const EMBEDDED_ID = /\d{15,}[Xx]?/g;

/**
 * Masks anything inside free text that could be an identity number (15+ digits in a row), for the odd
 * field of a rejected input that an operator should still see: "ID 11010519491231002X" → "ID <18 chars masked>".
 */
export function maskIdentityNumbersIn(text: string): string {
  return text.replace(EMBEDDED_ID, (m) => `<${m.length} chars masked>`);
}
