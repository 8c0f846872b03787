// Money on the wire is a decimal string in yuan with at most 2 decimals; Redis keeps integer fen
// (docs/contracts.md, Conventions). These helpers convert between the two without ever passing through a
// binary float, so a value is exact to the fen in both directions.

/** A non-negative yuan amount: digits, optionally a point and one or two digits. No sign, no exponent. */
export const YUAN_PATTERN = /^(0|[1-9]\d{0,12})(\.\d{1,2})?$/;

/** Longest integer part the pattern takes: 13 digits, so one string is below 10^15 fen (< 2^53, exact). */
export const MAX_YUAN_DIGITS = 13;

/**
 * Largest amount a claim may carry in any one field: 10,000,000.00 yuan. The dearest treatments settled in
 * China (CAR-T, organ transplants) cost a few million yuan; ten million leaves room and still bounds every sum:
 * one claim's eight amounts stay below 10^10 fen, and a running total in a double (the accumulator's Lua)
 * stays exact for at least 2^53 / 10^9 ≈ 9 million maximal claims in one bucket.
 */
export const MAX_AMOUNT_YUAN = '10000000.00';
export const MAX_AMOUNT_FEN = 1_000_000_000;

/**
 * A yuan amount that may carry a leading minus: a reversal's amounts. The national platform writes a
 * cancellation's amounts with either sign, and they do not decide what the reversal nets, so both are taken.
 */
export const SIGNED_YUAN_PATTERN = /^-?(0|[1-9]\d{0,12})(\.\d{1,2})?$/;

const MINUS = 45;
const POINT = 46;
const ZERO = 48;
const NINE = 57;

export function isYuan(value: string): boolean {
  return value.charCodeAt(0) !== MINUS && !Number.isNaN(yuanFen(value));
}

export function isSignedYuan(value: string): boolean {
  return !Number.isNaN(yuanFen(value));
}

/**
 * The fen of a text in the form of SIGNED_YUAN_PATTERN, or NaN when it is not in that form. One pass over the
 * characters, without a regular expression or substrings: every claim's eight amounts go through it (the
 * patterns stay the definition; a property test holds this to them). At most 13 integer digits, so the result
 * is below 10^15 and exact.
 */
export function yuanFen(value: string): number {
  const length = value.length;
  let i = value.charCodeAt(0) === MINUS ? 1 : 0;
  const negative = i === 1;
  const start = i;
  let whole = 0;
  for (; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c < ZERO || c > NINE) break;
    whole = whole * 10 + (c - ZERO);
  }
  const digits = i - start;
  if (digits === 0 || digits > MAX_YUAN_DIGITS) return NaN;
  // "0" alone, never a leading zero ("01").
  if (digits > 1 && value.charCodeAt(start) === ZERO) return NaN;
  let cents = 0;
  if (i < length) {
    if (value.charCodeAt(i) !== POINT) return NaN;
    const decimals = length - i - 1;
    if (decimals < 1 || decimals > 2) return NaN;
    for (i++; i < length; i++) {
      const c = value.charCodeAt(i);
      if (c < ZERO || c > NINE) return NaN;
      cents = cents * 10 + (c - ZERO);
    }
    if (decimals === 1) cents *= 10;
  }
  const fen = whole * 100 + cents;
  // 0, never -0: "-0.00" is the same money as "0.00".
  return negative && fen !== 0 ? -fen : fen;
}

/**
 * "1234.5" → 123450, "-0.05" → -5. Throws on anything that is not a (signed) yuan string. The pattern bounds
 * the magnitude below 10^15, so the number is exact, and so is a sum of up to nine of them (< 2^53).
 */
export function yuanToFen(value: string): number {
  const fen = yuanFen(value);
  if (Number.isNaN(fen)) throw new RangeError(`not a yuan amount: ${JSON.stringify(value)}`);
  return fen;
}

/**
 * 123450 → "1234.50"; negative fen keep their sign ("-0.05"). Integer fen only. Computed in BigInt, so a
 * total of any size prints exactly; pass a bigint for a value that may exceed 2^53 (a number beyond it has
 * already lost its last digits, and is refused).
 */
export function fenToYuan(fen: number | bigint): string {
  if (typeof fen === 'number' && !Number.isSafeInteger(fen)) throw new RangeError(`fen must be a safe integer: ${fen}`);
  const big = BigInt(fen);
  const sign = big < 0n ? '-' : '';
  const abs = big < 0n ? -big : big;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** Integer fen from its decimal text (a Redis value), exact at any size. */
export function parseFen(text: string): bigint {
  if (!/^-?\d+$/.test(text)) throw new RangeError(`not integer fen: ${JSON.stringify(text)}`);
  return BigInt(text);
}
