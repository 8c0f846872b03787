// Per-claim derivation (docs/contracts.md "Derived per claim") and the amount identity.
import { describe, expect, it } from 'vitest';
import { ClaimAmountsError, claimAmountProblems, deriveClaim, RulesError, VISIT_CLASS } from '../src/index.ts';
import { CONTRACT_EXAMPLE_CLAIM } from '@warnline/test';
import { claim } from './helpers.ts';

const contractExample = CONTRACT_EXAMPLE_CLAIM;

describe('deriveClaim', () => {
  it('the example of docs/contracts.md: burden 5000, self-pay 10000 − 6500 − 500 = 3000', () => {
    const d = deriveClaim(contractExample);
    expect(d.personalBurden.toFixed(2)).toBe('5000.00');
    expect(d.selfPay.toFixed(2)).toBe('3000.00');
    expect(d).toMatchObject({ visitClass: 'inpatient', month: '2024-03', sign: 1 });
  });

  it('self-pay is never negative (funds paid more than the policy scope)', () => {
    const d = deriveClaim({ ...contractExample, amounts: { ...contractExample.amounts, policyScope: '5000.00' } });
    expect(d.selfPay.toFixed(2)).toBe('0.00');
  });

  it('a reversal has sign −1 and positive amounts', () => {
    const d = deriveClaim({ ...contractExample, type: 'reversal' });
    expect(d.sign).toBe(-1);
    expect(d.personalBurden.toFixed(2)).toBe('5000.00');
  });

  it('emergency and pharmacy are outpatient for assistance (沪府办规〔2022〕19号 二(二)3-4: 门急诊)', () => {
    expect(VISIT_CLASS).toEqual({
      inpatient: 'inpatient',
      outpatient: 'outpatient',
      emergency: 'outpatient',
      pharmacy: 'outpatient',
    });
    expect(deriveClaim(claim({ visit: 'pharmacy' })).visitClass).toBe('outpatient');
  });

  it('amount identity broken: ClaimAmountsError with a stable code', () => {
    const bad = { ...contractExample, amounts: { ...contractExample.amounts, cash: '4000.01' } };
    expect(() => deriveClaim(bad)).toThrow(ClaimAmountsError);
    try {
      deriveClaim(bad);
    } catch (error) {
      expect(error).toBeInstanceOf(RulesError);
      expect((error as RulesError).code).toBe('AMOUNT_IDENTITY');
      expect((error as RulesError).retriable).toBe(false);
    }
  });

  it('an amount above 10,000,000.00 yuan is AMOUNT_TOO_LARGE, naming the field', () => {
    const at = { ...contractExample.amounts, total: '10000000.00', policyScope: '0.00', basicFund: '9994500.00' };
    expect(claimAmountProblems(at)).toEqual([]);
    const over = { ...at, total: '10000000.01', cash: '4000.01' };
    expect(claimAmountProblems(over).map((p) => [p.code, p.field])).toEqual([['AMOUNT_TOO_LARGE', 'amounts.total']]);
  });

  it('every problem is listed', () => {
    const bad = { ...contractExample.amounts, cash: '4000.01', policyScope: '12000.01' };
    expect(claimAmountProblems(bad).map((p) => p.code)).toEqual(['AMOUNT_IDENTITY', 'POLICY_SCOPE_EXCEEDS_TOTAL']);
    expect(
      claimAmountProblems({ ...contractExample.amounts, total: '-1', cash: '1.234' }).map((p) => [p.code, p.field]),
    ).toEqual([
      ['INVALID_MONEY', 'amounts.total'],
      ['INVALID_MONEY', 'amounts.cash'],
    ]);
  });
});
