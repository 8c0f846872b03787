// Money on the wire is a decimal string in yuan with at most 2 decimals; Redis keeps integer fen
// (contracts.md, Conventions). These helpers convert between the two without ever passing through a
// binary float, so a value is exact to the fen in both directions.

/** A non-negative yuan amount: digits, optionally a point and one or two digits. No sign, no exponent. */
export const YUAN_PATTERN = /^(0|[1-9]\d{0,12})(\.\d{1,2})?$/;

/** Largest amount accepted in one field: 10^13 yuan keeps every sum of fen far inside Number.MAX_SAFE_INTEGER. */
export const MAX_YUAN_DIGITS = 13;

export function isYuan(value: string): boolean {
  return YUAN_PATTERN.test(value);
}

/** "1234.5" → 123450. Throws on anything that is not a valid yuan string. */
export function yuanToFen(value: string): number {
  const match = YUAN_PATTERN.exec(value);
  if (!match) throw new RangeError(`not a yuan amount: ${JSON.stringify(value)}`);
  const whole = match[1] ?? '0';
  const frac = (match[2] ?? '.').slice(1).padEnd(2, '0');
  return Number(whole) * 100 + Number(frac);
}

/** 123450 → "1234.50"; negative fen keep their sign ("-0.05"). Integer fen only. */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`fen must be a safe integer: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.trunc(abs / 100);
  const frac = String(abs % 100).padStart(2, '0');
  return `${sign}${whole}.${frac}`;
}
