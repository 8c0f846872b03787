// Redis state → the rules' input, and what is material about a decision.
import { describe, expect, it } from 'vitest';
import { evaluateHousehold, getRuleSet, yuanUsage } from '@warnline/rules';
import { createKeys } from '../../src/keys.ts';
import {
  evaluationHousehold,
  hasBuckets,
  householdUsage,
  materialDigest,
  soloHousehold,
  usageOf,
} from '../../src/usage.ts';
import { registryHousehold } from '../support.ts';

describe('usage from person hashes', () => {
  it('turns fen buckets into fen rows and skips the other fields', () => {
    const rows = usageOf('p_a', { '2024-03:i': '500000:300000', '2024-04:o': '1:-0', h: 'HH1', f: '2023-05' });
    expect(rows).toEqual([
      { personId: 'p_a', month: '2024-03', visitClass: 'inpatient', burdenFen: '500000', selfPayFen: '300000' },
      { personId: 'p_a', month: '2024-04', visitClass: 'outpatient', burdenFen: '1', selfPayFen: '-0' },
    ]);
    expect(yuanUsage(rows)).toEqual([
      { personId: 'p_a', month: '2024-03', visitClass: 'inpatient', personalBurden: '5000.00', selfPay: '3000.00' },
      { personId: 'p_a', month: '2024-04', visitClass: 'outpatient', personalBurden: '0.01', selfPay: '0.00' },
    ]);
    expect(hasBuckets({ h: 'HH1', f: '2023-05' })).toBe(false);
    expect(hasBuckets({ '2024-01:o': '1:1' })).toBe(true);
  });

  it('reads buckets beyond 2^53 fen exactly', () => {
    const [row] = yuanUsage(usageOf('p_a', { '2024-03:i': '9007199254740993:18014398509481985' }));
    expect(row).toMatchObject({ personalBurden: '90071992547409.93', selfPay: '180143985094819.85' });
  });

  it('counts a member only in the household they point at', () => {
    const hashes = new Map([
      ['p_a', { '2024-03:i': '100:100', h: 'HH1' }],
      ['p_b', { '2024-03:i': '200:200', h: 'HH2' }],
    ]);
    expect(householdUsage('HH1', ['p_a', 'p_b'], hashes).map((u) => u.personId)).toEqual(['p_a']);
  });

  it('evaluates a household of one and a registry household with packages/rules', () => {
    const ruleSet = getRuleSet('shanghai', '2024-06-30');
    const solo = evaluateHousehold(ruleSet, {
      household: soloHousehold('p_a'),
      usage: yuanUsage(usageOf('p_a', { '2024-03:i': '9000000:0' })),
      asOf: '2024-06-30',
    });
    expect(solo).toMatchObject({ householdId: 'p_a', burden12m: '90000.00', level: 'watch', income: null });
    const record = registryHousehold({ householdId: 'HH1', members: ['p_a'], income: '60000.00' });
    const hh = evaluateHousehold(ruleSet, {
      household: evaluationHousehold(record),
      usage: yuanUsage(householdUsage('HH1', ['p_a'], new Map([['p_a', { '2024-03:i': '3000000:0', h: 'HH1' }]]))),
      asOf: '2024-06-30',
    });
    expect(hh).toMatchObject({ level: 'action', burden12m: '30000.00', burdenRatio: '0.5000' });
    // The material digest moves with the level and the window, not with the amounts alone.
    const more = evaluateHousehold(ruleSet, {
      household: evaluationHousehold(record),
      usage: yuanUsage(householdUsage('HH1', ['p_a'], new Map([['p_a', { '2024-03:i': '3100000:0', h: 'HH1' }]]))),
      asOf: '2024-06-30',
    });
    expect(materialDigest(more)).toBe(materialDigest(hh));
    expect(materialDigest({ ...hh, level: 'warning' })).not.toBe(materialDigest(hh));
    expect(materialDigest({ ...hh, window: { from: '2023-08', to: '2024-07' } })).not.toBe(materialDigest(hh));
  });
});

describe('keys', () => {
  it('put every key of one script under one hash tag', () => {
    const keys = createKeys('wl', 16);
    const tag = (k: string) => /\{([^}]*)\}/.exec(k)?.[1];
    const p = 'p_0123456789abcdef0123456789abcdef';
    expect(new Set([tag(keys.person(p)), tag(keys.personClaims(p)), tag(keys.soloStatus(p))])).toEqual(new Set([p]));
    expect(tag(keys.household('HH1'))).toBe('h:HH1');
    expect(keys.shardOf(p)).toBe(0x01234567 % 16);
    expect(keys.activeShards()).toHaveLength(16);
  });
});
