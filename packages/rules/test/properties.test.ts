// Properties (fast-check): claim order and duplicate delivery never change the decision; adding a claim
// never lowers the burden; assistance never exceeds the self-pay nor the cap.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CATEGORIES, fenToYuan, levelRank, type Claim, type Household } from '@warnline/contracts';
import {
  aggregateClaims,
  estimateAssistance,
  evaluateCase,
  evaluateHousehold,
  evaluateValidatedHousehold,
  getRuleSet,
  windowOf,
  type Decision,
} from '../src/index.ts';
import { household, P1, P2, P3, reversalOf } from './helpers.ts';
import { Dec } from '../src/money.ts';

const DAY = 86_400_000;
const START = Date.UTC(2023, 0, 1);
const dateArb = fc.integer({ min: 0, max: 608 }).map((d) => new Date(START + d * DAY).toISOString().slice(0, 10)); // 2023-01-01..2024-08-31
const fen = (max: number) => fc.integer({ min: 0, max });

const amountsArb = fc
  .record({
    basicFund: fen(3_000_000),
    criticalIllness: fen(500_000),
    supplementary: fen(200_000),
    assistance: fen(200_000),
    personalAccount: fen(300_000),
    cash: fen(4_000_000),
  })
  .chain((p) => {
    const total = p.basicFund + p.criticalIllness + p.supplementary + p.assistance + p.personalAccount + p.cash;
    return fen(total).map((policyScope) => {
      const y = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, fenToYuan(v)]));
      return { ...y, total: fenToYuan(total), policyScope: fenToYuan(policyScope) } as Claim['amounts'];
    });
  });

interface SettlementSpec {
  personId: string;
  serviceDate: string;
  visitType: Claim['visitType'];
  amounts: Claim['amounts'];
}

const settlementArb: fc.Arbitrary<SettlementSpec> = fc.record({
  personId: fc.constantFrom(P1, P2, P3), // P3 is not a member
  serviceDate: dateArb,
  visitType: fc.constantFrom('inpatient' as const, 'outpatient' as const, 'emergency' as const, 'pharmacy' as const),
  amounts: amountsArb,
});

function toClaim(s: SettlementSpec, i: number): Claim {
  return {
    claimId: `C-${i}`,
    type: 'settlement',
    institution: { code: 'H1', level: 2 },
    settledAt: `${s.serviceDate}T23:00:00+08:00`,
    ...s,
  };
}

/** Settlements with unique ids, and reversals of some of them. */
const claimsArb = fc
  .array(settlementArb, { maxLength: 10 })
  .map((list) => list.map(toClaim))
  .chain((settlements) =>
    fc.subarray(settlements).map((reversed) => [...settlements, ...reversed.map((c) => reversalOf(c))]),
  );

const householdArb: fc.Arbitrary<Household> = fc
  .record({
    annualDisposableIncome: fc.option(fen(20_000_000).map(fenToYuan), { nil: null }),
    categories: fc.subarray([...CATEGORIES]),
    assetTestPassed: fc.constantFrom(true, false, null),
  })
  .map((over) => household({ ...over, members: [{ personId: P1 }, { personId: P2 }] }));

const ruleSetArb = fc.constantFrom('shanghai', 'rizhao');
const asOfArb = fc.constantFrom('2023-12-31', '2024-01-15', '2024-06-30', '2024-07-01', '2024-08-31');

function decide(name: string, asOf: string, h: Household, claims: Claim[]): Decision {
  return evaluateCase(getRuleSet(name, asOf), asOf, { household: h, claims });
}

/** Settlements, and reversals of some of them whose amounts are anything valid (partial, larger, zero). */
const looseReversalsArb = fc
  .array(settlementArb, { maxLength: 10 })
  .map((list) => list.map(toClaim))
  .chain((settlements) =>
    fc
      .subarray(settlements)
      .chain((reversed) =>
        fc
          .tuple(...reversed.map(() => settlementArb))
          .map((others) => [
            settlements,
            reversed.map((c, i) => ({ ...reversalOf(c), amounts: toClaim(others[i]!, i).amounts }) as Claim),
            new Set(reversed.map((c) => c.claimId)),
          ]),
      ),
  ) as fc.Arbitrary<[Claim[], Claim[], Set<string>]>;

describe('properties', () => {
  it('a reversal nets exactly its original, whatever its own amounts and the order', () => {
    fc.assert(
      fc.property(
        looseReversalsArb.chain(([s, r, gone]) =>
          fc.tuple(
            fc.constant([s, gone] as const),
            fc.shuffledSubarray([...s, ...r], { minLength: s.length + r.length }),
          ),
        ),
        ([[settlements, gone], stream]) => {
          const rows = (claims: readonly Claim[]) =>
            aggregateClaims(claims, () => true)
              .usage.map((u) => JSON.stringify(u))
              .sort();
          expect(rows(stream)).toEqual(rows(settlements.filter((c) => !gone.has(c.claimId))));
        },
      ),
    );
  });

  it("the accumulator's unvalidated entry decides exactly as the validating one", () => {
    fc.assert(
      fc.property(ruleSetArb, asOfArb, householdArb, claimsArb, (name, asOf, h, claims) => {
        const usage = aggregateClaims(claims, (p) => p === P1 || p === P2).usage;
        const input = { household: h, usage, asOf };
        const ruleSet = getRuleSet(name, asOf);
        expect(evaluateValidatedHousehold(ruleSet, input)).toEqual(evaluateHousehold(ruleSet, input));
      }),
    );
  });

  it('claim order never changes the decision', () => {
    fc.assert(
      fc.property(
        ruleSetArb,
        asOfArb,
        householdArb,
        claimsArb.chain((c) => fc.tuple(fc.constant(c), fc.shuffledSubarray(c, { minLength: c.length }))),
        (name, asOf, h, [claims, shuffled]) => {
          expect(decide(name, asOf, h, shuffled)).toEqual(decide(name, asOf, h, claims));
        },
      ),
    );
  });

  it('duplicate delivery never changes the decision', () => {
    const withDuplicates = claimsArb.chain((c) =>
      fc.tuple(
        fc.constant(c),
        fc
          .subarray(c)
          .chain((d) =>
            fc.shuffledSubarray([...c, ...d.map((x) => structuredClone(x))], { minLength: c.length + d.length }),
          ),
      ),
    );
    fc.assert(
      fc.property(ruleSetArb, asOfArb, householdArb, withDuplicates, (name, asOf, h, [claims, delivered]) => {
        expect(decide(name, asOf, h, delivered)).toEqual(decide(name, asOf, h, claims));
      }),
    );
  });

  it('adding a claim never lowers the burden, the self-pay or the level', () => {
    fc.assert(
      fc.property(ruleSetArb, asOfArb, householdArb, claimsArb, settlementArb, (name, asOf, h, claims, extra) => {
        const before = decide(name, asOf, h, claims);
        const after = decide(name, asOf, h, [...claims, toClaim(extra, 999)]);
        expect(new Dec(after.burden12m).greaterThanOrEqualTo(before.burden12m)).toBe(true);
        expect(new Dec(after.selfPaid12m).greaterThanOrEqualTo(before.selfPaid12m)).toBe(true);
        expect(levelRank(after.level)).toBeGreaterThanOrEqual(levelRank(before.level));
      }),
    );
  });

  it('the months of burdenByMonth are the window, and add up to burden12m exactly', () => {
    fc.assert(
      fc.property(ruleSetArb, asOfArb, householdArb, claimsArb, (name, asOf, h, claims) => {
        const d = decide(name, asOf, h, claims);
        expect(d.burdenByMonth).toHaveLength(12);
        expect(d.burdenByMonth[0]!.month).toBe(d.window.from);
        expect(d.burdenByMonth.at(-1)!.month).toBe(d.window.to);
        const sum = d.burdenByMonth.reduce((acc, m) => acc.plus(m.inpatient).plus(m.outpatient), new Dec(0));
        expect(sum.equals(d.burden12m)).toBe(true);
      }),
    );
  });

  it("assistance never exceeds the self-pay, nor a member's cap in a calendar year", () => {
    fc.assert(
      fc.property(
        ruleSetArb,
        fc.constantFrom('2024-06-30', '2024-12-31'),
        householdArb,
        claimsArb,
        (name, asOf, h, claims) => {
          const d = decide(name, asOf, h, claims);
          expect(new Dec(d.assistance.total).lessThanOrEqualTo(d.selfPaid12m)).toBe(true);
          expect(new Dec(d.assistance.capRemaining).greaterThanOrEqualTo(0)).toBe(true);
          // A December asOf makes the window one calendar year: each member's assistance is within the cap.
          if (asOf === '2024-12-31') {
            const rs = getRuleSet(name, asOf);
            const members = [P1, P2];
            const { usage } = aggregateClaims(claims, (k) => members.includes(k));
            const byPerson = new Map<string, Map<string, Partial<Record<'inpatient' | 'outpatient', Dec>>>>();
            for (const u of usage) {
              const months = byPerson.get(u.personId) ?? new Map();
              byPerson.set(u.personId, months);
              const row = months.get(u.month) ?? {};
              row[u.visitClass] = (row[u.visitClass] ?? new Dec(0)).plus(u.selfPay);
              months.set(u.month, row);
            }
            const estimate = estimateAssistance(rs, h.categories, members, byPerson, asOf, windowOf(asOf));
            for (const paid of estimate.perPerson.values()) {
              expect(paid.lessThanOrEqualTo(estimate.capPerPerson ?? 0)).toBe(true);
            }
            expect(estimate.total.toFixed(2)).toBe(d.assistance.total);
          }
        },
      ),
    );
  });
});
