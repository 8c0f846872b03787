// Masks resident identity numbers inside free text a caseworker typed (notes), before it is stored,
// audited or passed on: the rest of the pipeline carries pseudonyms only, and a note must not undo that.
// People write the numbers the way they read them: with a lower-case x, in groups separated by spaces or
// hyphens, or in full-width digits from a Chinese input method. Each spelling is recognised.
//
// Two rules, so that the numbers a note legitimately holds (phone numbers, dates, claim ids like
// H31011000012-20240315-000123) stay readable:
//   - 15 or more digits in a row (an optional check character X): masked, as everywhere else in warnline;
//   - digit groups separated by single spaces or hyphens: the consecutive groups that add up to exactly a
//     second-generation number (18 digits, or 17 and a check character X) are masked.
// A masked number becomes `<N chars masked>`, N being the digits and check character it had.

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

/** The text with every identity number in it masked; everything else unchanged. */
export function maskIdentityNumbers(text: string): string {
  return text.replace(RUN, (run) => masked(run.length)).replace(GROUPS, maskGroups);
}
