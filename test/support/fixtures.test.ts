// The shared claim-amount builder: six parts in fen become the eight yuan strings of a claim, in contract order.
import { describe, expect, it } from 'vitest';
import { claimAmountsFromFen } from './fixtures.ts';

describe('claimAmountsFromFen', () => {
  it('writes the six parts in contract order, their sum as the total and the given policy scope', () => {
    expect(claimAmountsFromFen([100, 2, 30_000, 0, 5, 123_456], (total) => Math.floor(total / 2))).toEqual({
      total: '1535.63',
      policyScope: '767.81',
      basicFund: '1.00',
      criticalIllness: '0.02',
      supplementary: '300.00',
      assistance: '0.00',
      personalAccount: '0.05',
      cash: '1234.56',
    });
  });

  it('refuses anything but six parts', () => {
    expect(() => claimAmountsFromFen([1, 2, 3], () => 0)).toThrow(RangeError);
  });
});
