// The hand-written yuan parser against the patterns that define a yuan amount: the same texts accepted, and
// the same fen as reading the pattern's groups.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isSignedYuan, isYuan, SIGNED_YUAN_PATTERN, YUAN_PATTERN, yuanFen, yuanToFen } from '../src/money.ts';

/** The conversion as the pattern reads it: integer part × 100 plus the decimals padded to two digits. */
function fenByPattern(value: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value)!;
  const fen = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' && fen !== 0 ? -fen : fen;
}

/** Texts near the form: digits, points, signs and a few other characters, short and long. */
const nearYuan = fc.string({
  unit: fc.constantFrom('0', '1', '5', '9', '.', '-', '+', 'e', ' ', '\n', '０'),
  maxLength: 18,
});
/** Texts in the form, or nearly: a sign, up to 15 integer digits, up to 3 decimals. */
const yuanLike = fc
  .tuple(
    fc.constantFrom('', '-', '+'),
    fc.stringMatching(/^\d{0,15}$/),
    fc.option(fc.stringMatching(/^\d{0,3}$/), { nil: undefined }),
  )
  .map(([sign, whole, decimals]) => `${sign}${whole}${decimals === undefined ? '' : `.${decimals}`}`);

describe('yuanFen', () => {
  it('accepts exactly what the patterns accept, with the fen the pattern reads', () => {
    fc.assert(
      fc.property(fc.oneof(nearYuan, yuanLike, fc.string()), (text) => {
        expect(isSignedYuan(text)).toBe(SIGNED_YUAN_PATTERN.test(text));
        expect(isYuan(text)).toBe(YUAN_PATTERN.test(text));
        if (SIGNED_YUAN_PATTERN.test(text)) {
          expect(yuanFen(text)).toBe(fenByPattern(text));
          expect(yuanToFen(text)).toBe(fenByPattern(text));
        } else {
          expect(yuanFen(text)).toBeNaN();
          expect(() => yuanToFen(text)).toThrow(RangeError);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads the edges of the form', () => {
    expect(yuanFen('0')).toBe(0);
    expect(Object.is(yuanFen('-0.00'), 0)).toBe(true);
    expect(yuanFen('9999999999999.99')).toBe(999_999_999_999_999);
    expect(yuanFen('10000000000000')).toBeNaN();
    expect(yuanFen('01')).toBeNaN();
    expect(yuanFen('1.')).toBeNaN();
    expect(yuanFen('.5')).toBeNaN();
    expect(yuanFen('1.5')).toBe(150);
    expect(yuanFen('-')).toBeNaN();
    expect(yuanFen('')).toBeNaN();
    expect(isYuan('-1')).toBe(false);
  });
});
