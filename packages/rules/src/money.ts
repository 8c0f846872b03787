// Decimal arithmetic for the rules: no binary floats, and every rounding is named.
import { Decimal } from 'decimal.js';

/** A private Decimal constructor so no other module's global configuration changes our rounding. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

export const ZERO = new Dec(0);

/** Non-negative yuan, at most 2 decimals (as on the wire). */
export const YUAN = /^(0|[1-9]\d{0,12})(\.\d{1,2})?$/;
/** Signed yuan: net usage buckets may be transiently negative (a reversal counted before its original). */
export const SIGNED_YUAN = /^-?(0|[1-9]\d{0,12})(\.\d{1,2})?$/;
/** A decimal parameter of a rule set (shares, ratios, amounts). */
export const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

export function dec(value: string | number): Decimal {
  return new Dec(value);
}

/** Rounding to the fen for money results: half up, as a cashier rounds. */
export function roundFen(value: Decimal): Decimal {
  return value.toDecimalPlaces(2, Dec.ROUND_HALF_UP);
}

/** "1234.50": money out, always two decimals. */
export function yuanString(value: Decimal): string {
  return roundFen(value).toFixed(2);
}

/** Ratios for display (burdenRatio): four decimals, half up. Tests compare exact values, never this. */
export function ratioString(value: Decimal): string {
  return value.toDecimalPlaces(4, Dec.ROUND_HALF_UP).toFixed(4);
}

/** Percent for messages: "43.33%". */
export function percentString(value: Decimal): string {
  return `${value.times(100).toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2)}%`;
}

export function maxDec(a: Decimal, b: Decimal): Decimal {
  return a.greaterThan(b) ? a : b;
}

export function minDec(a: Decimal, b: Decimal): Decimal {
  return a.lessThan(b) ? a : b;
}
