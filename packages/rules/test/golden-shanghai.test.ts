// Golden cases for the shanghai rule set, worked by hand from the documents. Parameters as of 2024-06-30:
// last year's (2023) city per-capita disposable income 84834; subsistence line 1510 per person per month.
import { describe, expect, it } from 'vitest';
import { claim, codes, evalCase, finding, household, P1, P2, P3, reversalOf } from './helpers.ts';

const AS_OF = '2024-06-30';

describe('沪府办规〔2022〕19号 四, second kind: burden ≥ 40% of annual household income', () => {
  // One person, income 60000: 40% is 24000. (60000 − 24000) / 12 = 3000 ≥ 1510, so kind 1 stays out.
  it('exactly 40% qualifies (达到或超过)', () => {
    const d = evalCase('shanghai', AS_OF, household(), [claim({ burden: '24000.00' })]);
    expect(d.burdenRatio).toBe('0.4000');
    expect(codes(d)).toEqual(['EXPENDITURE_POVERTY_2']);
    expect(d.level).toBe('action');
    expect(finding(d, 'EXPENDITURE_POVERTY_2')!.citation).toBe('沪府办规〔2022〕19号 四');
    expect(finding(d, 'EXPENDITURE_POVERTY_2')!.message).toContain('40.00%');
  });

  it('one fen below 40% does not; it is approaching (二(三) monitoring line 30%)', () => {
    const d = evalCase('shanghai', AS_OF, household(), [claim({ burden: '23999.99' })]);
    expect(d.burdenRatio).toBe('0.4000'); // displayed ratio rounds; the test compares exact amounts
    expect(codes(d)).toEqual(['APPROACHING_EXPENDITURE_POVERTY']);
    expect(d.level).toBe('warning');
    expect(finding(d, 'APPROACHING_EXPENDITURE_POVERTY')!.message).toContain('0.01');
  });

  it('approaching starts at exactly 30% of income', () => {
    expect(codes(evalCase('shanghai', AS_OF, household(), [claim({ burden: '18000.00' })]))).toEqual([
      'APPROACHING_EXPENDITURE_POVERTY',
    ]);
    const below = evalCase('shanghai', AS_OF, household(), [claim({ burden: '17999.99' })]);
    expect(codes(below)).toEqual([]);
    expect(below.level).toBe('none');
  });

  it("precondition: per-capita income must be below (低于) last year's city average", () => {
    // 84834 is not below 84834: a known failed precondition gives no finding at all.
    const equal = evalCase('shanghai', AS_OF, household({ annualDisposableIncome: '84834.00' }), [
      claim({ burden: '40000.00' }),
    ]);
    expect(codes(equal)).toEqual([]);
    const below = evalCase('shanghai', AS_OF, household({ annualDisposableIncome: '84833.99' }), [
      claim({ burden: '40000.00' }),
    ]);
    expect(codes(below)).toEqual(['EXPENDITURE_POVERTY_2']);
  });

  it('per-capita income divides by all current members', () => {
    // Two members, 120000: 60000 each, below 84834. One member with 120000 would be above.
    const two = household({ members: [{ personId: P1 }, { personId: P2 }], annualDisposableIncome: '120000.00' });
    const d = evalCase('shanghai', AS_OF, two, [
      claim({ person: P1, burden: '30000.00' }),
      claim({ person: P2, burden: '18000.00' }),
    ]);
    expect(d.burden12m).toBe('48000.00');
    expect(codes(d)).toContain('EXPENDITURE_POVERTY_2');
    const one = evalCase('shanghai', AS_OF, household({ annualDisposableIncome: '120000.00' }), [
      claim({ burden: '48000.00' }),
    ]);
    expect(codes(one)).not.toContain('EXPENDITURE_POVERTY_2');
  });

  it('precondition: assets failed gives nothing, assets unknown gives PRECONDITION_UNVERIFIED naming it', () => {
    expect(
      codes(evalCase('shanghai', AS_OF, household({ assetTestPassed: false }), [claim({ burden: '30000.00' })])),
    ).toEqual([]);
    const d = evalCase('shanghai', AS_OF, household({ assetTestPassed: null }), [claim({ burden: '30000.00' })]);
    expect(codes(d)).toEqual(['PRECONDITION_UNVERIFIED']);
    const f = finding(d, 'PRECONDITION_UNVERIFIED')!;
    expect(f.input).toBe('assetTestPassed');
    expect(f.tests).toEqual(['EXPENDITURE_POVERTY_2']);
    expect(f.level).toBe('warning'); // the 40% part is met: verify now
    expect(f.citation).toBe('沪府办规〔2022〕19号 四');
    expect(d.level).toBe('warning');
  });

  it('income 0 with a burden: ratio null, kind 2 holds (any burden ≥ 40% of 0)', () => {
    const d = evalCase('shanghai', AS_OF, household({ annualDisposableIncome: '0.00' }), [claim({ burden: '100.00' })]);
    expect(d.burdenRatio).toBeNull();
    expect(codes(d)).toEqual(['EXPENDITURE_POVERTY_2']);
  });

  it('no burden, no finding', () => {
    const d = evalCase('shanghai', AS_OF, household({ annualDisposableIncome: '0.00', assetTestPassed: null }), []);
    expect(d.findings).toEqual([]);
    expect(d.burden12m).toBe('0.00');
    expect(d.level).toBe('none');
  });
});

describe('沪府办规〔2022〕19号 四, first kind: the burden pushes monthly per-capita income below the subsistence line', () => {
  // Three members, income 72000: 2000 per person per month before; the line is 1510 until 2024-06-30.
  const three = household({
    members: [{ personId: P1 }, { personId: P2 }, { personId: P3 }],
    annualDisposableIncome: '72000.00',
  });

  it('(72000 − 17640) / 36 = 1510 is not below the line; one fen more is', () => {
    expect(codes(evalCase('shanghai', AS_OF, three, [claim({ burden: '17640.00' })]))).toEqual([]);
    const d = evalCase('shanghai', AS_OF, three, [claim({ burden: '17640.01' })]);
    expect(codes(d)).toEqual(['EXPENDITURE_POVERTY_1']); // 24.5% of income: neither kind 2 nor approaching
    expect(d.level).toBe('action');
    expect(finding(d, 'EXPENDITURE_POVERTY_1')!.message).toContain('1510.00');
  });

  it('from 2024-07-01 the line is 1550: the same burden qualifies (dated table)', () => {
    const d = evalCase('shanghai', '2024-07-01', three, [claim({ burden: '17640.00' })]);
    expect(d.parameters.subsistenceLineMonthly!.value).toBe('1550');
    expect(codes(d)).toEqual(['EXPENDITURE_POVERTY_1']);
  });

  it('a household already below the line before medical costs is not pushed below by them', () => {
    const poor = household({ members: [{ personId: P1 }], annualDisposableIncome: '18000.00' }); // 1500 a month
    expect(codes(evalCase('shanghai', AS_OF, poor, [claim({ burden: '1000.00' })]))).toEqual([]);
  });
});

describe('the window: 12 calendar months ending with the month of asOf, by service date (docs/contracts.md; 沪府办规〔2022〕19号 四)', () => {
  it('counts 2023-07-01 and 2024-06-30, not 2023-06-30 nor 2024-07-01', () => {
    const claims = [
      claim({ date: '2023-06-30', burden: '1000.00' }),
      claim({ date: '2023-07-01', burden: '200.00' }),
      claim({ date: '2024-06-30', burden: '30.00' }),
      claim({ date: '2024-07-01', burden: '4.00' }),
    ];
    for (const asOf of ['2024-06-01', '2024-06-30']) {
      const d = evalCase('shanghai', asOf, household(), claims);
      expect(d.window).toEqual({ from: '2023-07', to: '2024-06' });
      expect(d.burden12m).toBe('230.00');
    }
  });

  it('the previous-year average changes on 1 January', () => {
    expect(evalCase('shanghai', '2023-12-31', household(), []).parameters.cityPerCapitaIncome.value).toBe('79610');
    expect(evalCase('shanghai', '2024-01-01', household(), []).parameters.cityPerCapitaIncome.value).toBe('84834');
  });
});

describe('reversals and duplicates (docs/contracts.md)', () => {
  it('a reversal before its original cancels it', () => {
    const original = claim({ burden: '24000.00' });
    const d = evalCase('shanghai', AS_OF, household(), [reversalOf(original), original, claim({ burden: '100.00' })]);
    expect(d.burden12m).toBe('100.00');
    expect(d.findings).toEqual([]);
  });

  it('a duplicate counts once', () => {
    const c = claim({ burden: '12000.00' });
    expect(evalCase('shanghai', AS_OF, household(), [c, c, { ...c }]).burden12m).toBe('12000.00');
  });
});

describe('assistance (沪府办规〔2022〕19号 二(二)4): ratios, 就高不重复 (二(一)), no deductible, yearly cap', () => {
  const twoVisits = [
    claim({ selfPay: '10000.00', burden: '12000.00' }),
    claim({ visit: 'emergency', selfPay: '2000.00', burden: '2000.00' }),
  ];

  it('低保: 90% inpatient, 60% outpatient/emergency, from the first yuan', () => {
    const d = evalCase('shanghai', AS_OF, household({ categories: ['subsistence'] }), twoVisits);
    expect(d.selfPaid12m).toBe('12000.00');
    expect(d.assistance.total).toBe('10200.00'); // 9000 + 1200
    expect(d.assistance.class).toBe('subsistence');
    expect(d.assistance.deductiblePerPerson).toBe('0.00');
  });

  it('several categories: the single highest class only (低保 over 低收入), never both', () => {
    const d = evalCase('shanghai', AS_OF, household({ categories: ['low-income', 'subsistence'] }), twoVisits);
    expect(d.assistance.total).toBe('10200.00');
    const low = evalCase(
      'shanghai',
      AS_OF,
      household({ categories: ['expenditure-poverty-2', 'low-income'] }),
      twoVisits,
    );
    expect(low.assistance.class).toBe('low-income');
    expect(low.assistance.total).toBe('9000.00'); // 8000 + 1000
  });

  it('支出型贫困 kind 2: 50% inpatient (setting), no outpatient ratio in 二(二)4', () => {
    const d = evalCase('shanghai', AS_OF, household({ categories: ['expenditure-poverty-2'] }), twoVisits);
    expect(d.assistance.total).toBe('5000.00');
  });

  it('no category: no assistance, nothing of a cap', () => {
    const d = evalCase('shanghai', AS_OF, household(), twoVisits);
    expect(d.assistance).toMatchObject({ total: '0.00', capRemaining: '0.00', class: null, capPerPerson: null });
  });

  it('cap reached: per person and calendar year, months before the window use it up too', () => {
    const claims = [
      claim({ date: '2023-03-10', selfPay: '80000.00', burden: '80000.00' }), // outside the window: 72000 of the 2023 cap
      claim({ date: '2023-09-10', selfPay: '50000.00', burden: '50000.00' }), // 45000 due, 8000 left of 2023
      claim({ date: '2024-02-10', visit: 'outpatient', selfPay: '10000.00', burden: '10000.00' }), // 6000 of 2024
    ];
    const d = evalCase('shanghai', AS_OF, household({ categories: ['subsistence'] }), claims);
    expect(d.assistance.total).toBe('14000.00');
    expect(d.assistance.capRemaining).toBe('74000.00');
    expect(d.burden12m).toBe('60000.00');
  });

  it('cap reached in the year of asOf leaves nothing', () => {
    const d = evalCase('shanghai', AS_OF, household({ categories: ['subsistence'] }), [
      claim({ selfPay: '100000.00', burden: '100000.00' }),
    ]);
    expect(d.assistance.total).toBe('80000.00');
    expect(d.assistance.capRemaining).toBe('0.00');
  });

  it('each current member has a cap', () => {
    const two = household({ members: [{ personId: P1 }, { personId: P2 }], categories: ['low-income'] });
    const d = evalCase('shanghai', AS_OF, two, [claim({ person: P1, selfPay: '1000.00', burden: '1000.00' })]);
    expect(d.assistance.capRemaining).toBe('159200.00'); // 2 × 80000 − 800
  });
});

describe('monitoring (沪府办规〔2022〕19号 二(三)) and charity referral (二(四)1)', () => {
  it('HIGH_BURDEN for an assistance target at 50% of 84834 = 42417 per person', () => {
    const target = household({ categories: ['low-income'], annualDisposableIncome: null });
    const at = evalCase('shanghai', AS_OF, target, [claim({ burden: '42417.00', selfPay: '0.00' })]);
    expect(finding(at, 'HIGH_BURDEN')).toMatchObject({
      level: 'watch',
      members: 1,
      citation: '沪府办规〔2022〕19号 二(三)',
    });
    // Nothing of it in scope: assistance does not reach it, so also a charity referral.
    expect(finding(at, 'CHARITY_REFERRAL')).toMatchObject({ citation: '沪府办规〔2022〕19号 二(四)1' });
    const below = evalCase('shanghai', AS_OF, target, [claim({ burden: '42416.99', selfPay: '0.00' })]);
    expect(finding(below, 'HIGH_BURDEN')).toBeUndefined();
  });

  it('charity referral only when the burden left after the assistance estimate is still heavy', () => {
    const target = household({ categories: ['low-income'], annualDisposableIncome: null });
    // 50000 borne, 10000 in scope: 8000 assistance, 42000 left < 42417.
    const helped = evalCase('shanghai', AS_OF, target, [claim({ burden: '50000.00', selfPay: '10000.00' })]);
    expect(codes(helped)).toContain('HIGH_BURDEN');
    expect(codes(helped)).not.toContain('CHARITY_REFERRAL');
    // 5000 in scope: 4000 assistance, 46000 left.
    const notEnough = evalCase('shanghai', AS_OF, target, [claim({ burden: '50000.00', selfPay: '5000.00' })]);
    expect(codes(notEnough)).toContain('CHARITY_REFERRAL');
    expect(finding(notEnough, 'CHARITY_REFERRAL')!.message).toContain('救助估算');
  });

  it('the line for non-targets is 100% of 84834, per person not per household', () => {
    const two = household({
      members: [{ personId: P1 }, { personId: P2 }],
      annualDisposableIncome: null,
      assetTestPassed: null,
    });
    const split = evalCase('shanghai', AS_OF, two, [
      claim({ person: P1, burden: '50000.00' }),
      claim({ person: P2, burden: '50000.00' }),
    ]);
    expect(codes(split)).not.toContain('HIGH_BURDEN');
    const one = evalCase('shanghai', AS_OF, two, [claim({ person: P1, burden: '84834.00' })]);
    expect(finding(one, 'HIGH_BURDEN')!.members).toBe(1);
    expect(finding(one, 'CHARITY_REFERRAL')!.message).toContain('不属于医疗救助对象');
    expect(one.level).toBe('watch');
  });
});

describe('a household of one (no registry record)', () => {
  it('income unknown: PRECONDITION_UNVERIFIED names annualDisposableIncome and assetTestPassed, level none', () => {
    const one = household({
      householdId: 'p_0123456789abcdef0123456789abcdef',
      annualDisposableIncome: null,
      assetTestPassed: null,
    });
    const d = evalCase('shanghai', AS_OF, one, [claim({ burden: '5000.00' })]);
    expect(d.income).toBeNull();
    expect(d.burdenRatio).toBeNull();
    expect(d.findings.map((f) => [f.code, f.input, f.level])).toEqual([
      ['PRECONDITION_UNVERIFIED', 'annualDisposableIncome', 'none'],
      ['PRECONDITION_UNVERIFIED', 'assetTestPassed', 'none'],
    ]);
    expect(finding(d, 'PRECONDITION_UNVERIFIED', 'annualDisposableIncome')!.tests).toEqual([
      'EXPENDITURE_POVERTY_1',
      'EXPENDITURE_POVERTY_2',
      'APPROACHING_EXPENDITURE_POVERTY',
    ]);
    expect(d.level).toBe('none');
  });
});
