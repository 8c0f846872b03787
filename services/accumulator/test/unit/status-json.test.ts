// The decision is serialised once per evaluation: its digest and its status message come from the same text.
// The message must equal what serialising the decision with its three publication fields gives, and the digest
// must stay the SHA-256 that decisions recorded in Redis were compared with.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evaluateHousehold, getRuleSet, yuanUsage } from '@warnline/rules';
import { decisionDigest, digestOfJson } from '../../src/decision-digest.ts';
import { statusMessageJson } from '../../src/evaluator.ts';
import { evaluationHousehold, householdUsage } from '../../src/usage.ts';
import { registryHousehold } from '../support.ts';

describe('status message and digest from one serialisation', () => {
  const ruleSet = getRuleSet('shanghai', '2024-06-30');
  const record = registryHousehold({ householdId: 'HH1', members: ['p_a'], income: '60000.00' });
  const decision = evaluateHousehold(ruleSet, {
    household: evaluationHousehold(record),
    usage: yuanUsage(householdUsage('HH1', ['p_a'], new Map([['p_a', { '2024-03:i': '3000000:900000', h: 'HH1' }]]))),
    asOf: '2024-06-30',
  });

  it('gives the same text as serialising the decision with previousLevel, stateSeq and publishedAt', () => {
    const extra = { previousLevel: 'watch' as const, stateSeq: 42, publishedAt: '2024-06-30T01:02:03.004Z' };
    const json = JSON.stringify(decision);
    expect(statusMessageJson(json, extra)).toBe(JSON.stringify({ ...decision, ...extra }));
    expect(JSON.parse(statusMessageJson(json, extra))).toEqual({ ...decision, ...extra });
  });

  it('digests with the SHA-256 of the decision JSON, as recorded decisions were', () => {
    const json = JSON.stringify(decision);
    const before = createHash('sha256').update(json).digest('base64url').slice(0, 16);
    expect(digestOfJson(json)).toBe(before);
    expect(decisionDigest(decision)).toBe(before);
    expect(decisionDigest({ ...decision, burden12m: '0.01' })).not.toBe(before);
  });
});
