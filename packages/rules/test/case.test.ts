// evaluateCase: dedup by claimId, conflicts, reversals in either order, members (docs/contracts.md).
import { describe, expect, it } from 'vitest';
import { aggregateClaims, evaluateHousehold, getRuleSet, RulesError, RuleSetNotEffectiveError } from '../src/index.ts';
import { claim, claimWarnings, evalCase, household, P1, P2, reversalOf, usage } from './helpers.ts';

const AS_OF = '2024-06-30';

describe('evaluateCase', () => {
  it('same claimId with different content: first kept, CLAIM_CONFLICT warning', () => {
    const first = claim({ id: 'C-1', burden: '100.00' });
    const second = claim({ id: 'C-1', burden: '900.00' });
    const d = evalCase('shanghai', AS_OF, household(), [first, second]);
    expect(d.burden12m).toBe('100.00');
    expect(claimWarnings(d)).toEqual([
      { code: 'CLAIM_CONFLICT', claimId: 'C-1', message: expect.stringContaining('first version is kept') },
    ]);
  });

  it('a reversal after its original cancels it; a reversal of an absent claim has no effect', () => {
    const original = claim({ id: 'C-2', burden: '500.00' });
    const d = evalCase('shanghai', AS_OF, household(), [
      original,
      reversalOf(original),
      reversalOf(claim({ id: 'C-X' }), 'R-X'),
    ]);
    expect(d.burden12m).toBe('0.00');
    expect(claimWarnings(d).map((w) => [w.code, w.claimId])).toEqual([['REVERSAL_WITHOUT_ORIGINAL', 'R-X']]);
  });

  it('a reversal that does not repeat its original cancels it in full, with a warning', () => {
    const original = claim({ id: 'C-3', burden: '500.00', date: '2024-03-01' });
    // A partial refund sent as a reversal with smaller amounts, in another month.
    const partial = { ...reversalOf(claim({ id: 'C-3', burden: '200.00', date: '2024-05-01' })), claimId: 'C-3-R' };
    const over = { ...reversalOf(claim({ id: 'C-4', burden: '900.00' })), claimId: 'C-4-R' };
    const d = evalCase('shanghai', AS_OF, household(), [
      original,
      partial,
      claim({ id: 'C-4', burden: '100.00' }),
      over,
      claim({ id: 'C-6', burden: '40.00' }),
    ]);
    expect(d.burden12m).toBe('40.00');
    expect(claimWarnings(d).map((w) => [w.code, w.claimId])).toEqual([
      ['REVERSAL_MISMATCH', 'C-3-R'],
      ['REVERSAL_MISMATCH', 'C-4-R'],
    ]);
  });

  it('a reversal written with negative amounts cancels its original', () => {
    const original = claim({ id: 'C-10', burden: '250.00' });
    const r = reversalOf(original);
    const negative = Object.fromEntries(
      Object.entries(r.amounts).map(([k, v]) => [k, v === '0.00' ? v : `-${v}`]),
    ) as typeof r.amounts;
    const d = evalCase('shanghai', AS_OF, household(), [original, { ...r, amounts: negative }]);
    expect(d.burden12m).toBe('0.00');
    expect(claimWarnings(d).map((w) => [w.code, w.claimId])).toEqual([['REVERSAL_MISMATCH', 'C-10-R']]);
  });

  it('the same amounts written differently ("4000.0", "4000.00") repeat the original', () => {
    const original = claim({ id: 'C-7', burden: '4000.00' });
    const r = reversalOf(original);
    const respelled = {
      ...r,
      amounts: { ...r.amounts, cash: '4000.0', total: original.amounts.total.replace(/0$/, '') },
    };
    const d = evalCase('shanghai', AS_OF, household(), [original, respelled]);
    expect(d.burden12m).toBe('0.00');
    expect(claimWarnings(d)).toEqual([]);
  });

  it('a second reversal of the same original has no effect, whatever the order', () => {
    const original = claim({ id: 'C-8', burden: '300.00' });
    const r1 = reversalOf(original, 'C-8-R1');
    const r2 = reversalOf(original, 'C-8-R2');
    for (const claims of [
      [original, r1, r2],
      [r2, original, r1],
      [r2, r1, original],
    ]) {
      const d = evalCase('shanghai', AS_OF, household(), claims);
      expect(d.burden12m).toBe('0.00');
      expect(claimWarnings(d).map((w) => [w.code, w.claimId])).toEqual([['REVERSAL_ALREADY_APPLIED', 'C-8-R2']]);
    }
  });

  it("a reversal naming another person's settlement has no effect", () => {
    const h = household({ members: [{ personId: P1 }, { personId: P2 }] });
    const original = claim({ id: 'C-9', burden: '300.00', person: P1 });
    const stranger = { ...reversalOf(original), personId: P2 };
    const d = evalCase('shanghai', AS_OF, h, [original, stranger]);
    expect(d.burden12m).toBe('300.00');
    expect(claimWarnings(d).map((w) => [w.code, w.claimId])).toEqual([['REVERSAL_WITHOUT_ORIGINAL', 'C-9-R']]);
  });

  it('a reversal naming another reversal has no effect', () => {
    const original = claim({ id: 'C-5' });
    const r1 = reversalOf(original);
    const r2 = { ...r1, claimId: 'C-5-RR', reversedClaimId: r1.claimId };
    const d = evalCase('shanghai', AS_OF, household(), [original, r1, r2]);
    expect(d.burden12m).toBe('0.00');
    expect(claimWarnings(d).map((w) => w.code)).toEqual(['REVERSAL_WITHOUT_ORIGINAL']);
  });

  it('claims of a non-member do not count; identity numbers match case-insensitively', () => {
    const lowerX = '11010519491231002x';
    const h = household({ members: [{ personId: '11010519491231002X' }] });
    const d = evalCase('shanghai', AS_OF, h, [
      claim({ person: lowerX, burden: '100.00' }),
      claim({ id: 'C-N', person: P2, burden: '900.00' }),
    ]);
    expect(d.burden12m).toBe('100.00');
    expect(claimWarnings(d).map((w) => [w.code, w.claimId])).toEqual([['CLAIM_NOT_A_MEMBER', 'C-N']]);
  });

  it('passport holders match by type and number', () => {
    const h = household({ members: [{ personId: 'E12345678', personIdType: 'passport' }] });
    const c = { ...claim({ burden: '100.00' }), personId: 'E12345678', personIdType: 'passport' as const };
    expect(evalCase('shanghai', AS_OF, h, [c]).burden12m).toBe('100.00');
  });

  it('aggregateClaims gives the usage the accumulator would keep', () => {
    const { usage: u } = aggregateClaims(
      [claim({ burden: '1000.00', selfPay: '800.00', visit: 'emergency', date: '2024-02-29' })],
      () => true,
    );
    expect(u).toEqual([
      { personId: P1, month: '2024-02', visitClass: 'outpatient', personalBurden: '1000.00', selfPay: '800.00' },
    ]);
  });
});

describe('evaluateHousehold (the accumulator path)', () => {
  const rs = getRuleSet('shanghai', AS_OF);
  const h = {
    householdId: 'p_0123456789abcdef0123456789abcdef',
    streetCode: null,
    districtCode: null,
    members: [{ personId: 'p_a' }],
    annualDisposableIncome: '60000.00',
    categories: [],
    assetTestPassed: true,
  };

  it('sums buckets, ignores other persons and months outside the window, floors a negative net bucket', () => {
    const d = evaluateHousehold(rs, {
      household: h,
      asOf: AS_OF,
      usage: [
        usage('p_a', '2024-01', '100.00'),
        usage('p_a', '2024-01', '50.00'),
        usage('p_a', '2024-02', '-30.00', '-30.00'),
        usage('p_a', '2023-06', '1000.00'),
        usage('p_a', '2024-07', '1000.00'),
        usage('p_b', '2024-01', '1000.00'),
      ],
    });
    expect(d.burden12m).toBe('150.00');
    expect(d.selfPaid12m).toBe('150.00');
    expect(d.householdId).toBe(h.householdId);
  });

  it('bad input: RulesError INVALID_INPUT listing every problem', () => {
    const bad = {
      household: { ...h, annualDisposableIncome: 'lots' },
      asOf: '2024-02-30',
      usage: [usage('p_a', '2024-13', '1.234')],
    };
    try {
      evaluateHousehold(rs, bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RulesError);
      expect((error as RulesError).code).toBe('INVALID_INPUT');
      expect((error as RulesError).problems.map((p) => p.field).sort()).toEqual([
        'asOf',
        'household.annualDisposableIncome',
        'usage.0.month',
        'usage.0.personalBurden',
        'usage.0.selfPay',
      ]);
    }
  });

  it('a rule set not yet in force on asOf is refused', () => {
    expect(() => evaluateHousehold(rs, { household: h, asOf: '2023-06-30', usage: [] })).toThrow(
      RuleSetNotEffectiveError,
    );
  });
});
