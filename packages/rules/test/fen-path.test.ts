// The fen path decides a household far from every line from integer fen; every household, far or not, gets
// the same decision as from the Decimal path (evaluateValidatedHousehold on the same usage in yuan), field
// for field, over random households, amounts, dates, incomes and categories.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addMonths, CATEGORIES, fenToYuan, monthOf } from '@warnline/contracts';
import {
  decideFarHousehold,
  evaluateFenHousehold,
  evaluateValidatedHousehold,
  getRuleSet,
  ruleSetNames,
  yuanUsage,
  type EvaluationHousehold,
  type FenEvaluationInput,
  type FenUsage,
} from '../src/index.ts';

const PERSONS = ['p_1', 'p_2', 'p_3', 'p_4', 'p_5'];
const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);
const asOfArb = fc.integer({ min: 0, max: 1060 }).map((d) => new Date(START + d * DAY).toISOString().slice(0, 10));

/** Mostly everyday amounts, sometimes negative (a reversal first), sometimes huge (the Decimal path's). */
const fenArb = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 300_000 }) },
  { weight: 3, arbitrary: fc.integer({ min: -300_000, max: 5_000_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }) },
);
const fenTextArb = fc.oneof(
  { weight: 30, arbitrary: fenArb.map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String) },
);

/** Yuan as a registry record writes it: with or without decimals. */
const incomeArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant('0') },
  {
    weight: 10,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 100_000_000 }), fc.constantFrom('', '.5', '.05', '.00'))
      .map(([fen, tail]) => (tail === '' ? String(Math.ceil(fen / 100)) : `${Math.floor(fen / 100)}${tail}`)),
  },
);

const inputArb: fc.Arbitrary<{ ruleSet: string; input: FenEvaluationInput }> = fc
  .record({
    ruleSet: fc.constantFrom(...ruleSetNames()),
    asOf: asOfArb,
    members: fc.subarray(PERSONS.slice(0, 4), { minLength: 1 }),
    income: incomeArb,
    categories: fc.oneof(
      { weight: 4, arbitrary: fc.constant<(typeof CATEGORIES)[number][]>([]) },
      { weight: 1, arbitrary: fc.subarray([...CATEGORIES], { maxLength: 2 }) },
    ),
    assetTestPassed: fc.constantFrom(true, false, null),
    rows: fc.array(
      fc.record({
        personId: fc.constantFrom(...PERSONS),
        monthsBack: fc.integer({ min: -2, max: 16 }),
        visitClass: fc.constantFrom('inpatient' as const, 'outpatient' as const),
        burdenFen: fenTextArb,
        selfPayFen: fenTextArb,
      }),
      { maxLength: 40 },
    ),
  })
  .map((r) => {
    const household: EvaluationHousehold = {
      householdId: 'HH-1',
      streetCode: '310101001',
      districtCode: '310101',
      members: r.members.map((personId) => ({ personId })),
      annualDisposableIncome: r.income,
      categories: r.categories,
      assetTestPassed: r.assetTestPassed,
    };
    const usage: FenUsage[] = r.rows.map(({ monthsBack, ...row }) => ({
      ...row,
      month: addMonths(monthOf(r.asOf), -monthsBack),
    }));
    return { ruleSet: r.ruleSet, input: { household, usage, asOf: r.asOf } };
  });

function decimalPath(ruleSet: string, input: FenEvaluationInput) {
  return evaluateValidatedHousehold(getRuleSet(ruleSet, input.asOf), { ...input, usage: yuanUsage(input.usage) });
}

describe('the fen path', () => {
  it('gives the Decimal path’s decision, field for field, for every household; far ones from fen', () => {
    let far = 0;
    let runs = 0;
    fc.assert(
      fc.property(inputArb, ({ ruleSet, input }) => {
        runs++;
        const rs = getRuleSet(ruleSet, input.asOf);
        const fast = decideFarHousehold(rs, input);
        const expected = decimalPath(ruleSet, input);
        if (fast !== null) {
          far++;
          expect(fast).toEqual(expected);
          // Same fields in the same order: the published JSON is the same text.
          expect(JSON.stringify(fast)).toBe(JSON.stringify(expected));
        }
        expect(evaluateFenHousehold(rs, input)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
    // The property must reach the fen path often, or it proves nothing about it.
    expect(far).toBeGreaterThan(runs / 5);
  });

  it('leaves a household at a line to the Decimal path', () => {
    const ruleSet = getRuleSet('shanghai', '2026-06-30');
    const household: EvaluationHousehold = {
      householdId: 'HH-1',
      // Two members: per-capita income below the city average, so the poverty tests' preconditions hold.
      members: [{ personId: 'p_1' }, { personId: 'p_2' }],
      annualDisposableIncome: '100000.00',
      categories: [],
      assetTestPassed: true,
    };
    const at = (burdenYuan: number): FenEvaluationInput => ({
      household,
      usage: [
        {
          personId: 'p_1',
          month: '2026-03',
          visitClass: 'inpatient',
          burdenFen: String(burdenYuan * 100),
          selfPayFen: '0',
        },
      ],
      asOf: '2026-06-30',
    });
    // 30% of income is the approaching line (警戒): 29,000 yuan is within the margin, 1,000 far from it.
    expect(decideFarHousehold(ruleSet, at(29_000))).toBeNull();
    expect(evaluateFenHousehold(ruleSet, at(30_000)).level).not.toBe('none');
    const far = decideFarHousehold(ruleSet, at(1_000));
    expect(far).toMatchObject({ level: 'none', burden12m: '1000.00', burdenRatio: '0.0100', income: '100000.00' });
    expect(far).toEqual(decimalPath('shanghai', at(1_000)));
  });

  it('keeps amounts beyond 2^53 fen exact through the Decimal path', () => {
    const ruleSet = getRuleSet('shanghai', '2026-06-30');
    const input: FenEvaluationInput = {
      household: {
        householdId: 'p_1',
        members: [{ personId: 'p_1' }],
        annualDisposableIncome: '1',
        categories: [],
        assetTestPassed: null,
      },
      usage: [
        { personId: 'p_1', month: '2026-03', visitClass: 'outpatient', burdenFen: '9007199254740993', selfPayFen: '1' },
      ],
      asOf: '2026-06-30',
    };
    expect(decideFarHousehold(ruleSet, input)).toBeNull();
    expect(evaluateFenHousehold(ruleSet, input).burden12m).toBe(fenToYuan(9007199254740993n));
  });
});
