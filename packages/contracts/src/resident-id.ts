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

// The free-text masker. People write identity numbers the way they read them: with a lower-case x, in
// groups separated by spaces or hyphens, or in full-width digits from a Chinese input method. Each
// spelling is recognised, by two rules that keep the numbers a text legitimately holds (phone numbers,
// dates, claim ids like H31011000012-20240315-000123) readable:
//   - 15 or more digits in a row (an optional check character X): masked, valid or not, since a mistyped
//     number is still a person's; this covers everything `findIdentityNumbers` finds;
//   - digit groups separated by single spaces or hyphens: the consecutive groups that add up to exactly a
//     second-generation number (18 digits, or 17 and a check character X) are masked.
const D = '[0-9０-９]';
const X = '[XxＸｘ]';
const NOT_DIGIT_BEFORE = '(?<![0-9０-９])';
const NOT_DIGIT_AFTER = '(?![0-9０-９])';
const RUN = new RegExp(`${NOT_DIGIT_BEFORE}${D}{15,}${X}?${NOT_DIGIT_AFTER}`, 'g');
/** Digit groups joined by single separators; a check character may end the last group or follow it. */
const GROUPS = new RegExp(
  `${NOT_DIGIT_BEFORE}${D}+(?:[ \\u3000-]${D}+)*(?:[ \\u3000-]?${X})?(?![0-9A-Za-z０-９Ｘｘ])`,
  'g',
);
const SEPARATED = /([ \u3000-])/;
const ENDS_WITH_CHECK = new RegExp(`${X}$`);

const masked = (length: number) => `<${length} chars masked>`;

/**
 * Masks, within one run of separated groups, every span of whole groups that spells a second-generation
 * identity number: 18 digits, or 17 digits and a check character.
 */
function maskGroups(run: string): string {
  const parts = run.split(SEPARATED); // groups at even indices, separators at odd ones
  const groups = parts.filter((_, i) => i % 2 === 0);
  const digitsOf = (g: string) => g.length - (ENDS_WITH_CHECK.test(g) ? 1 : 0);
  /** Index of the last group of an identity number starting at group `start`, or -1. */
  const spanFrom = (start: number): number => {
    let digits = 0;
    for (let j = start; j < groups.length; j++) {
      const g = groups[j] ?? '';
      digits += digitsOf(g);
      if (ENDS_WITH_CHECK.test(g)) return digits === 17 ? j : -1;
      if (digits === 18) return j;
      if (digits === 17 && ENDS_WITH_CHECK.test(groups[j + 1] ?? '') && digitsOf(groups[j + 1] ?? '') === 0)
        return j + 1;
      if (digits > 18) return -1;
    }
    return -1;
  };
  const out: string[] = [];
  let i = 0;
  while (i < groups.length) {
    const end = spanFrom(i);
    out.push(end >= 0 ? masked(18) : (groups[i] ?? ''));
    i = end >= 0 ? end + 1 : i + 1;
    if (i < groups.length) out.push(parts[2 * i - 1] ?? ' ');
  }
  return out.join('');
}

/**
 * Masks every identity number in a free text (caseworker notes, the odd field of a rejected input,
 * error messages) and leaves everything else unchanged: "ID 11010519491231002X" → "ID <18 chars masked>",
 * "310115 19600115 0423" → "<18 chars masked>". A masked number becomes `<N chars masked>`, N being the
 * characters it had (18 for a grouped one).
 */
export function maskIdentityNumbersIn(text: string): string {
  return text.replace(RUN, (run) => masked(run.length)).replace(GROUPS, maskGroups);
}
