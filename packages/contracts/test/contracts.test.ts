import { describe, expect, it } from 'vitest';
import {
  RawClaimSchema,
  RawHouseholdSchema,
  toRejections,
  yuanToFen,
  fenToYuan,
  residentIdProblem,
  residentIdCheckChar,
  addMonths,
  monthsBetween,
  alertJobId,
  isCalendarDate,
} from '../src/index.ts';
import { CONTRACT_EXAMPLE_CLAIM } from '@warnline/test';

const claim = CONTRACT_EXAMPLE_CLAIM;

function codesOf(input: unknown): string[] {
  const r = RawClaimSchema.safeParse(input);
  return r.success ? [] : toRejections(r.error.issues, input).map((x) => `${x.code}@${x.field}`);
}

describe('money', () => {
  it('converts yuan strings to fen and back exactly', () => {
    expect(yuanToFen('1234.5')).toBe(123450);
    expect(yuanToFen('0.01')).toBe(1);
    expect(yuanToFen('7')).toBe(700);
    expect(fenToYuan(123450)).toBe('1234.50');
    expect(fenToYuan(-5)).toBe('-0.05');
    expect(fenToYuan(0)).toBe('0.00');
    expect(() => yuanToFen('1.234')).toThrow();
    expect(yuanToFen('-1')).toBe(-100);
    expect(yuanToFen('-0.00')).toBe(0);
    expect(() => yuanToFen('--1')).toThrow();
    expect(() => yuanToFen('+1')).toThrow();
    expect(() => yuanToFen('1e3')).toThrow();
  });
});

describe('money bounds', () => {
  it('prints totals beyond 2^53 fen exactly', () => {
    // Ten claims of 9,999,999,999,999.99 yuan: more fen than a double holds exactly.
    const total = 10n * 999_999_999_999_999n;
    expect(fenToYuan(total)).toBe('99999999999999.90');
    expect(fenToYuan(-total)).toBe('-99999999999999.90');
    expect(() => fenToYuan(2 ** 53 + 2)).toThrow(RangeError);
  });

  it('refuses a claim amount above 10,000,000.00 yuan with AMOUNT_TOO_LARGE naming the field', () => {
    const zero = { criticalIllness: '0.00', supplementary: '0.00', assistance: '0.00', personalAccount: '0.00' };
    const at = { ...zero, total: '10000000.00', policyScope: '0.00', basicFund: '1000.00', cash: '9999000.00' };
    expect(RawClaimSchema.safeParse({ ...claim, amounts: at }).success).toBe(true);
    expect(codesOf({ ...claim, amounts: { ...at, total: '10000000.01', cash: '9999000.01' } })).toEqual([
      'AMOUNT_TOO_LARGE@amounts.total',
    ]);
    const cashOnly = { ...zero, total: '10000000.01', policyScope: '0.00', basicFund: '0.00', cash: '10000000.01' };
    expect(codesOf({ ...claim, amounts: cashOnly })).toEqual([
      'AMOUNT_TOO_LARGE@amounts.total',
      'AMOUNT_TOO_LARGE@amounts.cash',
    ]);
  });
});

describe('reversal amounts', () => {
  const negative = (a: Record<string, string>) =>
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v === '0.00' ? v : `-${v}`]));
  const reversal = { ...claim, claimId: 'C-R', type: 'reversal', reversedClaimId: claim.claimId };

  it('takes a reversal written with negative amounts, as a cancellation is', () => {
    expect(codesOf({ ...reversal, amounts: negative(claim.amounts) })).toEqual([]);
    expect(codesOf({ ...reversal, amounts: { ...negative(claim.amounts), cash: '-4000.01' } })).toEqual([
      'AMOUNT_IDENTITY@amounts',
    ]);
  });

  it("refuses a settlement's negative amount with INVALID_MONEY", () => {
    expect(codesOf({ ...claim, amounts: negative(claim.amounts) })).toContain('INVALID_MONEY@amounts.cash');
  });
});

describe('resident identity numbers (GB 11643)', () => {
  it('accepts the contract example and computes check characters', () => {
    expect(residentIdProblem('11010519491231002X')).toBeNull();
    expect(residentIdProblem('11010519491231002x')).toBeNull();
    expect(residentIdCheckChar('11010519800101001')).toBe('6');
    expect(residentIdProblem('110105198001010016')).toBeNull();
  });
  it('rejects a wrong check digit, a wrong shape and an impossible birth date', () => {
    expect(residentIdProblem('110105194912310021')).toBe('check-digit');
    expect(residentIdProblem('1101051949123100')).toBe('shape');
    expect(residentIdProblem('110105194902300010')).toBe('birth-date');
  });
});

describe('claim schema', () => {
  it('accepts the contract example', () => {
    expect(codesOf(claim)).toEqual([]);
  });
  it('rejects a broken amount identity and a policy scope above total', () => {
    expect(codesOf({ ...claim, amounts: { ...claim.amounts, cash: '4000.01' } })).toEqual(['AMOUNT_IDENTITY@amounts']);
    expect(codesOf({ ...claim, amounts: { ...claim.amounts, policyScope: '12000.01' } })).toEqual([
      'POLICY_SCOPE_EXCEEDS_TOTAL@amounts.policyScope',
    ]);
  });
  it('gives each problem its own code and field', () => {
    const { visitType: _v, ...noVisit } = claim;
    expect(codesOf(noVisit)).toEqual(['MISSING_FIELD@visitType']);
    expect(codesOf({ ...claim, visitType: 'dental' })).toEqual(['INVALID_ENUM@visitType']);
    expect(codesOf({ ...claim, serviceDate: '2024-02-30' })).toContain('INVALID_DATE@serviceDate');
    expect(codesOf({ ...claim, amounts: { ...claim.amounts, cash: 4000 } })).toContain('WRONG_TYPE@amounts.cash');
    expect(codesOf({ ...claim, personId: '110105194912310021' })).toEqual(['INVALID_PERSON_ID@personId']);
    expect(codesOf({ ...claim, type: 'reversal' })).toEqual(['REVERSAL_TARGET_MISSING@reversedClaimId']);
    expect(codesOf({ ...claim, reversedClaimId: 'X' })).toEqual(['REVERSAL_TARGET_UNEXPECTED@reversedClaimId']);
    expect(codesOf({ ...claim, settledAt: '2024-03-14T23:00:00+08:00' })).toEqual(['SETTLED_BEFORE_SERVICE@settledAt']);
    expect(codesOf([1])).toEqual(['NOT_AN_OBJECT@(item)']);
  });
  it('never echoes an identity number in a message', () => {
    const r = RawClaimSchema.safeParse({ ...claim, personId: '110105194912310021' });
    expect(JSON.stringify(r.error?.issues)).not.toContain('110105194912310021');
  });
  it('accepts opaque ids for passports', () => {
    expect(codesOf({ ...claim, personIdType: 'passport', personId: 'E12345678' })).toEqual([]);
  });
});

describe('household schema', () => {
  const hh = {
    householdId: 'HH310113000001',
    streetCode: '310113103',
    districtCode: '310113',
    members: [{ personId: '11010519491231002X' }, { personId: '110105198001010016' }],
    annualDisposableIncome: '60000.00',
    categories: ['low-income'],
    assetTestPassed: true,
    version: 7,
    updatedAt: '2024-03-01T00:00:00+08:00',
  };
  it('accepts the contract example and nulls for unknowns', () => {
    expect(RawHouseholdSchema.safeParse(hh).success).toBe(true);
    expect(RawHouseholdSchema.safeParse({ ...hh, annualDisposableIncome: null, assetTestPassed: null }).success).toBe(
      true,
    );
  });
  it('rejects a person listed twice, whatever the case of the check character', () => {
    const r = RawHouseholdSchema.safeParse({
      ...hh,
      members: [{ personId: '11010519491231002X' }, { personId: '11010519491231002x' }],
    });
    expect(r.success).toBe(false);
    expect(toRejections(r.error!.issues).map((x) => x.code)).toEqual(['DUPLICATE_MEMBER']);
  });
});

describe('dates and ids', () => {
  it('does month arithmetic across years', () => {
    expect(addMonths('2024-01', -1)).toBe('2023-12');
    expect(addMonths('2023-07', 11)).toBe('2024-06');
    expect(monthsBetween('2023-12', '2024-02')).toBe(2);
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
  });
  it('makes job ids BullMQ accepts (no colon)', () => {
    expect(alertJobId('a:b', 'action', '2024-06')).toBe('a%3Ab|action|2024-06');
  });
});
