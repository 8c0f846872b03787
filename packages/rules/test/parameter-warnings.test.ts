// Yearly figures a decision relies on are never silently out of date or unverified: a stale or unconfirmed
// figure is named in the decision's warnings, and an operator's data file adds next year's figure.
import { describe, expect, it } from 'vitest';
import { createRuleSetRegistry, evaluateCase, getRuleSet, RulesError, type Decision } from '../src/index.ts';
import { claim, household } from './helpers.ts';

const heavyCase = (date: string) => ({
  household: household({ annualDisposableIncome: '60000.00' }),
  claims: [claim({ burden: '30000.00', date })],
});

const parameterWarnings = (d: Decision) =>
  d.warnings
    .filter((w) => w.parameter !== undefined)
    .map((w) => [w.code, w.parameter!.name, w.parameter!.from] as const);

/** Next year's published figures, as an operator would add them. */
const shanghai2025 = {
  ruleSet: 'shanghai',
  cityPerCapitaIncome: [
    {
      from: '2026-01-01',
      year: 2025,
      value: '91000',
      citation: '沪府办规〔2022〕19号 四',
      confirmed: true,
      setting: {
        why: '四 names the measure; the statistics bureau publishes the figure each January.',
        source: '上海市2025年国民经济和社会发展统计公报 (test figure)',
      },
    },
  ],
  subsistenceLineMonthly: [
    {
      from: '2025-07-01',
      value: '1600',
      citation: '沪府办规〔2022〕19号 四',
      confirmed: true,
      setting: { why: 'civil affairs adjusts it each July.', source: '上海市民政局 2025 adjustment (test figure)' },
    },
  ],
};

describe('stale and unconfirmed yearly figures', () => {
  it('a 2026 evaluation with the 2024 income figure and the 2024 subsistence line says both are stale', () => {
    const asOf = '2026-03-31';
    const d = evaluateCase(getRuleSet('shanghai', asOf), asOf, heavyCase('2026-03-10'));
    expect(d.level).toBe('action');
    expect(d.parameters.cityPerCapitaIncome.year).toBe(2024);
    const stale = d.warnings.filter((w) => w.code === 'PARAMETER_STALE');
    expect(stale.map((w) => w.parameter)).toEqual([
      expect.objectContaining({ name: 'cityPerCapitaIncome', year: 2024, value: '88366', from: '2025-01-01' }),
      expect.objectContaining({ name: 'subsistenceLineMonthly', value: '1550', from: '2024-07-01' }),
    ]);
    expect(stale[0]!.message).toContain('2025');
  });

  it('names every unconfirmed figure the decision used, and no confirmed one', () => {
    const asOf = '2024-06-30';
    // 2023 income (84,834): not checked against the bulletin; the 1,510 line of 2023-07-01: confirmed.
    const d = evaluateCase(getRuleSet('shanghai', asOf), asOf, heavyCase('2024-03-10'));
    expect(parameterWarnings(d)).toEqual([['PARAMETER_UNCONFIRMED', 'cityPerCapitaIncome', '2024-01-01']]);
    const w = d.warnings.find((x) => x.code === 'PARAMETER_UNCONFIRMED')!;
    expect(w.parameter).toMatchObject({ value: '84834', year: 2023, confirmed: false });
    expect(w.message).toContain('84834');
  });

  it('an assistance class adds its yearly cap when that cap is not a published figure', () => {
    const asOf = '2024-06-30';
    const d = evaluateCase(getRuleSet('shanghai', asOf), asOf, {
      household: household({ categories: ['low-income'] }),
      claims: [claim({ burden: '1000.00' })],
    });
    expect(parameterWarnings(d)).toContainEqual(['PARAMETER_UNCONFIRMED', 'yearlyCap', '2022-01-01']);
    expect(d.warnings.find((w) => w.parameter?.name === 'yearlyCap')!.parameter).toMatchObject({
      class: 'low-income',
      value: '80000',
    });
  });

  it('confirmed figures in force give no parameter warning', () => {
    const asOf = '2023-12-31';
    // 2022 income (79,610, reported by the Shanghai Information Office) and the 2023-07-01 line: confirmed.
    const d = evaluateCase(getRuleSet('shanghai', asOf), asOf, heavyCase('2023-10-10'));
    expect(parameterWarnings(d)).toEqual([]);
  });
});

describe('rule-set data added by an operator', () => {
  it('adds a year to the dated tables and removes the staleness', () => {
    const registry = createRuleSetRegistry([{ name: 'shanghai-2025.json', data: shanghai2025 }]);
    const asOf = '2026-03-31';
    const d = evaluateCase(registry.get('shanghai', asOf), asOf, heavyCase('2026-03-10'));
    expect(d.parameters.cityPerCapitaIncome).toMatchObject({ year: 2025, value: '91000' });
    expect(d.parameters.subsistenceLineMonthly).toMatchObject({ value: '1600' });
    expect(d.warnings).toEqual([]);
    // The built-in registry is unchanged: the package holds no state.
    expect(getRuleSet('shanghai', asOf).cityPerCapitaIncome.table.at(-1)!.year).toBe(2024);
  });

  it('an entry with the same date replaces the built-in one: confirming a figure removes its warning', () => {
    const registry = createRuleSetRegistry([
      {
        name: 'confirm-2023.json',
        data: {
          ruleSet: 'shanghai',
          cityPerCapitaIncome: [
            {
              from: '2024-01-01',
              year: 2023,
              value: '84834',
              citation: '沪府办规〔2022〕19号 四',
              confirmed: true,
              setting: { why: 'checked', source: '上海市2023年国民经济和社会发展统计公报' },
            },
          ],
        },
      },
    ]);
    const asOf = '2024-06-30';
    const d = evaluateCase(registry.get('shanghai', asOf), asOf, heavyCase('2024-03-10'));
    expect(parameterWarnings(d)).toEqual([]);
    expect(registry.get('shanghai', asOf).cityPerCapitaIncome.table.filter((e) => e.year === 2023)).toHaveLength(1);
  });

  it('adds a yearly cap by assistance class', () => {
    const registry = createRuleSetRegistry([
      {
        name: 'caps.json',
        data: {
          ruleSet: 'shanghai',
          yearlyCap: {
            'low-income': [
              { from: '2024-01-01', value: '60000', citation: '沪府办规〔2022〕19号 二(二)4', confirmed: true },
            ],
          },
        },
      },
    ]);
    const asOf = '2024-06-30';
    const d = evaluateCase(registry.get('shanghai', asOf), asOf, {
      household: household({ categories: ['low-income'] }),
      claims: [claim({ burden: '1000.00' })],
    });
    expect(d.assistance.capPerPerson).toBe('60000.00');
    expect(parameterWarnings(d).filter(([, name]) => name === 'yearlyCap')).toEqual([]);
  });

  it('refuses invalid data with every problem, naming the file', () => {
    const attempt = (data: unknown) => () => createRuleSetRegistry([{ name: 'bad.json', data }]);
    const problems = (data: unknown) => {
      try {
        attempt(data)();
      } catch (error) {
        expect(error).toBeInstanceOf(RulesError);
        expect((error as RulesError).code).toBe('RULE_SET_DATA_INVALID');
        return (error as RulesError).problems.map((p) => p.field);
      }
      throw new Error('no error');
    };
    expect(problems({ ruleSet: 'atlantis', cityPerCapitaIncome: [] })).toEqual(['bad.json: ruleSet']);
    // `confirmed` is required: every yearly figure says whether it was checked against its publication.
    expect(
      problems({
        ruleSet: 'shanghai',
        cityPerCapitaIncome: [{ from: '2026-01-01', year: 2025, value: '91000', citation: 'x' }],
      }),
    ).toEqual(['bad.json: cityPerCapitaIncome.0.confirmed']);
    expect(
      problems({
        ruleSet: 'shanghai',
        yearlyCap: { nobody: [{ from: '2026-01-01', value: '1', citation: 'x', confirmed: true }] },
      }),
    ).toEqual(['bad.json: yearlyCap.nobody']);
    expect(
      problems({
        ruleSet: 'rizhao',
        subsistenceLineMonthly: [{ from: '2026-01-01', value: '1000', citation: 'x', confirmed: true }],
      }),
    ).toEqual(['bad.json: subsistenceLineMonthly']);
    expect(problems({ ruleSet: 'shanghai', windowMonths: 6 })).toEqual(['bad.json: (data)']);
    expect(problems('not an object')).toEqual(['bad.json: (data)']);
  });
});
