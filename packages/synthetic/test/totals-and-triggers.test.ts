import { describe, expect, it } from 'vitest';
import { RawClaimSchema, RawHouseholdSchema, fenToYuan } from '@warnline/contracts';
import { evaluateCase, getRuleSet } from '@warnline/rules';
import { NetTotals, claimFen, generateFeed, generateHouseholds, generateTriggers, interleaved } from '../src/index.ts';

describe('net totals oracle', () => {
  const base = {
    claimId: 'C1',
    type: 'settlement' as const,
    personId: 'p1',
    serviceDate: '2026-03-15',
    amounts: {
      policyScope: '900.00',
      basicFund: '500.00',
      criticalIllness: '50.00',
      supplementary: '0.00',
      assistance: '0.00',
      personalAccount: '100.00',
      cash: '250.50',
    },
  };

  it('derives burden and in-scope self-pay as docs/contracts.md does, in fen', () => {
    expect(claimFen(base.amounts)).toEqual({ burdenFen: 35_050, selfPayFen: 35_000 });
    expect(claimFen({ ...base.amounts, basicFund: '900.00' }).selfPayFen).toBe(0);
  });

  it('counts a claimId once and nets a reversal in either order', () => {
    const t = new NetTotals();
    t.add(base);
    t.add(base);
    t.add({ ...base, claimId: 'C2', serviceDate: '2026-04-01' });
    t.add({ ...base, claimId: 'C3-R', type: 'reversal', serviceDate: '2026-05-01' });
    t.add({ ...base, claimId: 'C3', serviceDate: '2026-05-01' });
    expect(t.deliveries).toBe(5);
    expect(t.claims).toBe(4);
    expect(t.total('p1')).toEqual({ burdenFen: 70_100, selfPayFen: 70_000 });
    expect(t.months('p1').get('2026-05')).toEqual({ burdenFen: 0, selfPayFen: 0 });
    expect(t.total('nobody')).toEqual({ burdenFen: 0, selfPayFen: 0 });
  });

  it('agrees with packages/rules on a generated feed', () => {
    const feed = generateFeed({ seed: 5, households: 40, endDate: '2026-11-20' });
    const t = new NetTotals();
    for (const c of feed.claims) t.add(c);
    const rules = getRuleSet('shanghai', '2026-11-20');
    for (const h of feed.households.slice(0, 10)) {
      const members = new Set(h.members.map((m) => m.personId));
      const decision = evaluateCase(rules, '2026-11-20', {
        household: h,
        claims: feed.claims.filter((c) => members.has(c.personId)),
      });
      const burden = [...members].reduce((sum, p) => sum + t.total(p).burdenFen, 0);
      expect(decision.burden12m).toBe(fenToYuan(burden));
    }
  });
});

describe('synthetic feed at scale', () => {
  it('gives every person their own identity number', () => {
    const households = generateHouseholds({ seed: 1, households: 40_000, endDate: '2026-11-20' });
    const ids = households.flatMap((h) => h.members.map((m) => m.personId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('alert triggers', () => {
  it('builds valid households and claims whose one claim raises action under the Shanghai rules', () => {
    const triggers = generateTriggers({ tag: 17, count: 50, serviceDate: '2026-11-20' });
    expect(new Set(triggers.map((t) => t.household.members[0]!.personId)).size).toBe(50);
    const rules = getRuleSet('shanghai', '2026-11-20');
    for (const t of triggers) {
      expect(RawHouseholdSchema.safeParse(t.household).error?.issues).toBeUndefined();
      expect(RawClaimSchema.safeParse(t.claim).error?.issues).toBeUndefined();
      const decision = evaluateCase(rules, '2026-11-20', { household: t.household, claims: [t.claim] });
      expect(decision.level).toBe(t.level);
      expect(evaluateCase(rules, '2026-11-20', { household: t.household, claims: [] }).level).toBe('none');
    }
  });
});

describe('interleaved delivery order', () => {
  it('keeps every item, mixes neighbours, and is reproducible', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    const out = [...interleaved(items, 1000, 3)];
    expect([...out].sort((a, b) => a - b)).toEqual(items);
    expect(out).toEqual([...interleaved(items, 1000, 3)]);
    const adjacent = out.slice(1).filter((v, i) => Math.abs(v - out[i]!) === 1).length;
    expect(adjacent).toBeLessThan(100);
    expect([...interleaved([1, 2], 10, 1)].sort()).toEqual([1, 2]);
  });
});
