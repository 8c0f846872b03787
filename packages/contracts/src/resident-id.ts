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

/** Where an identity number sits in a text, and which form it has. */
export interface FoundIdentityNumber {
  start: number;
  end: number;
  form: 'resident-18' | 'resident-15';
}

const DIGIT_RUNS = /\d+[Xx]?/g;
/** First digit of a real address code: 1 (north) to 8 (Hong Kong, Macao, Taiwan). */
const AREA_FIRST = /^[1-8]/;

/** A plausible birth date of a living resident: the years a detector should believe. */
function plausibleBirth(year: string, month: string, day: string): boolean {
  const y = Number(year);
  return y >= 1900 && y <= 2099 && isCalendarDate(`${year}-${month}-${day}`);
}

function isResident18(s: string): boolean {
  return (
    AREA_FIRST.test(s) &&
    plausibleBirth(s.slice(6, 10), s.slice(10, 12), s.slice(12, 14)) &&
    residentIdCheckChar(s.slice(0, 17)) === s[17]!.toUpperCase()
  );
}

/** The first-generation 15-digit form: address code, birth date as YYMMDD (1900s), sequence; no check digit. */
function isResident15(s: string): boolean {
  return AREA_FIRST.test(s) && plausibleBirth(`19${s.slice(6, 8)}`, s.slice(8, 10), s.slice(10, 12));
}

/**
 * Every resident identity number inside a free text: an 18-character number with a valid GB 11643 check
 * character anywhere in a run of digits (so "HH" + number or "C-" + number + "-1" are found, and so is a
 * number glued to other digits), and a standalone run of exactly 15 digits with a valid birth date (the
 * first-generation form). Only plausible birth years (1900–2099) and address codes count, to keep long
 * numeric serials that are not identity numbers from being taken for one.
 */
export function findIdentityNumbers(text: string): FoundIdentityNumber[] {
  const found: FoundIdentityNumber[] = [];
  for (const run of text.matchAll(DIGIT_RUNS)) {
    const value = run[0];
    const at = run.index;
    const digits = /[Xx]$/.test(value) ? value.length - 1 : value.length;
    if (digits === 15 && value.length === 15 && isResident15(value)) {
      found.push({ start: at, end: at + 15, form: 'resident-15' });
      continue;
    }
    for (let i = 0; i + 18 <= value.length; i++) {
      if (isResident18(value.slice(i, i + 18))) {
        found.push({ start: at + i, end: at + i + 18, form: 'resident-18' });
        i += 17;
      }
    }
  }
  return found;
}

/** Whether a text holds a resident identity number anywhere (see `findIdentityNumbers`). */
export function containsIdentityNumber(text: string): boolean {
  return findIdentityNumbers(text).length > 0;
}

/** Runs of 15 or more digits (an optional trailing X): identity numbers and mistyped ones alike. */
const EMBEDDED_ID = /\d{15,}[Xx]?/g;

/**
 * Masks every identity number in a free text (caseworker notes, the odd field of a rejected input):
 * those `findIdentityNumbers` finds, and any other run of 15 or more digits, since a mistyped number is
 * still a person's. "ID 11010519491231002X" → "ID <18 chars masked>".
 */
export function maskIdentityNumbersIn(text: string): string {
  return text.replace(EMBEDDED_ID, (m) => `<${m.length} chars masked>`);
}
