// Golden cases for the rizhao rule set (日医保发〔2022〕7号 附件2 二(三)4.2), worked by hand. As of 2024-06-30
// last year's per-capita disposable income is the 2023 figure 39890 (Shandong proxy, a setting).
import { describe, expect, it } from 'vitest';
import { getRuleSet, RuleSetNotEffectiveError } from '../src/index.ts';
import { claim, codes, evalCase, finding, household } from './helpers.ts';

const AS_OF = '2024-06-30';

describe('日医保发〔2022〕7号 附件2 二(三)4.2: deductibles, ratios, cap', () => {
  it('低保/特困: no deductible, 70% (the floor)', () => {
    const d = evalCase('rizhao', AS_OF, household({ categories: ['extreme-poverty'] }), [
      claim({ selfPay: '10000.00', burden: '10000.00' }),
    ]);
    expect(d.ruleSet).toBe('rizhao@2022-02-28');
    expect(d.assistance).toMatchObject({
      total: '7000.00',
      class: 'subsistence',
      deductiblePerPerson: '0.00',
      capPerPerson: '10000.00',
    });
  });

  it('低收入: deductible 10% of 39890 = 3989, then 65% (setting)', () => {
    const d = evalCase('rizhao', AS_OF, household({ categories: ['low-income'] }), [
      claim({ selfPay: '10000.00', burden: '10000.00' }),
    ]);
    expect(d.assistance.deductiblePerPerson).toBe('3989.00');
    expect(d.assistance.total).toBe('3907.15'); // (10000 − 3989) × 0.65
  });

  it('因病致贫重病患者: deductible 25% of 39890 = 9972.50, then 65%', () => {
    const d = evalCase('rizhao', AS_OF, household({ categories: ['expenditure-poverty-2'] }), [
      claim({ selfPay: '20000.00', burden: '20000.00' }),
    ]);
    expect(d.assistance.deductiblePerPerson).toBe('9972.50');
    expect(d.assistance.total).toBe('6517.88'); // 10027.50 × 0.65 = 6517.875, half up
  });

  it('a self-pay below the deductible gets nothing', () => {
    const d = evalCase('rizhao', AS_OF, household({ categories: ['low-income'] }), [
      claim({ selfPay: '3989.00', burden: '3989.00' }),
    ]);
    expect(d.assistance.total).toBe('0.00');
  });

  it('outpatient chronic assistance shares the inpatient cap of 10000 (合并计算): cap reached', () => {
    const d = evalCase('rizhao', AS_OF, household({ categories: ['subsistence'] }), [
      claim({ date: '2024-02-01', selfPay: '10000.00', burden: '10000.00' }), // 7000
      claim({ date: '2024-03-01', visit: 'outpatient', selfPay: '10000.00', burden: '10000.00' }), // 7000 due, 3000 left
    ]);
    expect(d.assistance.total).toBe('10000.00');
    expect(d.assistance.capRemaining).toBe('0.00');
  });

  it('deductible and cap run by calendar year (附件2 二(三): 自然年度), each year with its own previous-year income', () => {
    const d = evalCase('rizhao', AS_OF, household({ categories: ['low-income'] }), [
      claim({ date: '2023-09-01', selfPay: '5000.00', burden: '5000.00' }), // (5000 − 3756) × 0.65 = 808.60
      claim({ date: '2024-03-01', selfPay: '5000.00', burden: '5000.00' }), // (5000 − 3989) × 0.65 = 657.15
    ]);
    expect(d.assistance.total).toBe('1465.75');
    expect(d.assistance.capRemaining).toBe('9342.85');
  });

  it('within a month, inpatient meets the deductible first', () => {
    const d = evalCase('rizhao', AS_OF, household({ categories: ['low-income'] }), [
      claim({ date: '2024-03-20', visit: 'pharmacy', selfPay: '1000.00', burden: '1000.00' }),
      claim({ date: '2024-03-01', selfPay: '3989.00', burden: '3989.00' }),
    ]);
    expect(d.assistance.total).toBe('650.00'); // deductible all met by the inpatient bucket; 1000 × 0.65
  });
});

describe('rizhao: no expenditure-type poverty test in its documents', () => {
  it('a burden of 50% of income raises no EXPENDITURE_POVERTY finding and asks for no precondition', () => {
    const d = evalCase('rizhao', AS_OF, household({ annualDisposableIncome: '40000.00', assetTestPassed: null }), [
      claim({ burden: '20000.00' }),
    ]);
    expect(d.burdenRatio).toBe('0.5000');
    expect(codes(d)).toEqual([]); // and 20000 is below the non-target line of 39890
    expect(d.level).toBe('none');
  });

  it('HIGH_BURDEN for a target at 50% of 39890 = 19945; charity when assistance does not reach it', () => {
    const d = evalCase('rizhao', AS_OF, household({ categories: ['low-income'] }), [
      claim({ burden: '19945.00', selfPay: '0.00' }),
    ]);
    expect(finding(d, 'HIGH_BURDEN')!.citation).toBe('日医保发〔2022〕7号 附件2 二(三)4.3');
    expect(finding(d, 'CHARITY_REFERRAL')!.citation).toBe('日医保发〔2022〕7号 三(三)');
    expect(d.level).toBe('watch');
  });

  it('before 2022-02-28 the rule set is not in force', () => {
    expect(() => getRuleSet('rizhao', '2022-02-27')).toThrow(RuleSetNotEffectiveError);
    expect(getRuleSet('rizhao', '2022-02-28').version).toBe('2022-02-28');
  });

  it('a year without its previous-year figure uses the latest one and says so', () => {
    const d = evalCase('rizhao', '2025-03-01', household(), []);
    expect(d.parameters.cityPerCapitaIncome.year).toBe(2023);
    expect(d.warnings.filter((w) => w.code === 'PARAMETER_STALE').map((w) => w.parameter?.name)).toEqual([
      'cityPerCapitaIncome',
    ]);
  });
});
