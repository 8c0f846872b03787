import { describe, expect, it } from 'vitest';
import { RawClaimSchema, RawHouseholdSchema } from '@warnline/contracts';
import { generateFeed } from '../src/index.ts';

describe('synthetic feed', () => {
  const options = { seed: 42, households: 200, endDate: '2026-11-20' };

  it('is reproducible from its seed', () => {
    expect(JSON.stringify(generateFeed(options))).toBe(JSON.stringify(generateFeed(options)));
    expect(JSON.stringify(generateFeed({ ...options, seed: 43 }))).not.toBe(JSON.stringify(generateFeed(options)));
  });

  it('produces only records valid under docs/contracts.md', () => {
    const feed = generateFeed(options);
    for (const h of feed.households) expect(RawHouseholdSchema.safeParse(h).error?.issues).toBeUndefined();
    for (const c of feed.claims) expect(RawClaimSchema.safeParse(c).error?.issues).toBeUndefined();
  });

  it('spreads service dates over the 12 months ending at endDate, with reversals and duplicates', () => {
    const feed = generateFeed(options);
    const months = new Set(feed.claims.map((c) => c.serviceDate.slice(0, 7)));
    expect(months.size).toBe(12);
    expect([...months].sort().at(-1)).toBe('2026-11');
    expect(feed.claims.every((c) => c.serviceDate <= '2026-11-20')).toBe(true);
    expect(feed.claims.some((c) => c.type === 'reversal')).toBe(true);
    const ids = feed.claims.map((c) => c.claimId);
    expect(new Set(ids).size).toBeLessThan(ids.length);
    expect(feed.claims.some((c) => c.visitType === 'inpatient')).toBe(true);
  });
});
