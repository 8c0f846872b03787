// household-status.v1 carries each household's newest decision in every field: after a realistic synthetic
// feed, the last message per household equals what `warnline rules eval` (packages/rules' evaluateCase)
// decides from the same raw household records and raw claims, amounts included.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ClaimEvent, HouseholdEvent } from '@warnline/contracts';
import { evaluateCase, getRuleSet, type Case, type Decision } from '@warnline/rules';
import { generateFeed } from '@warnline/synthetic';
import { AS_OF, startedHarness } from './harness.ts';

describe('accumulator: household-status.v1 carries the newest decision', () => {
  // Groups of 7 households, 3 at once: a round's groups run concurrently and the last message of each
  // household is still its newest decision.
  const h = startedHarness(3, { EVALUATION_CHUNK: '7', EVALUATION_CHUNKS_IN_FLIGHT: '3' });

  it('ends with the decision of rules eval on the same raw records, field for field', async () => {
    const feed = generateFeed({ seed: 11, households: 40, endDate: AS_OF });
    const pseudonym = (id: string) => `p_${createHmac('sha256', h.group).update(id).digest('hex').slice(0, 32)}`;
    const receivedAt = new Date().toISOString();
    const households: HouseholdEvent[] = feed.households.map((hh) => ({
      ...hh,
      members: hh.members.map((m) => ({ personId: pseudonym(m.personId) })),
      receivedAt,
    }));
    const claims = feed.claims.map((c) => ({ ...c, personId: pseudonym(c.personId), receivedAt }) as ClaimEvent);

    // Registry first, then the claims in the feed's delivery order, in several sends so that a household's
    // burden moves over many batches while its level mostly stays where it is.
    await h.sendHouseholds(households);
    await h.drained();
    for (let i = 0; i < claims.length; i += 97) {
      await h.sendClaims(claims.slice(i, i + 97));
      await h.drained();
    }
    await h.expectTotalsMatch(claims, (actual, expected) => expect(actual).toEqual(expected));

    const ruleSet = getRuleSet('shanghai', AS_OF);
    const rawClaims = feed.claims as unknown as Case['claims'];
    const expected = new Map<string, Decision>(
      feed.households.map((hh) => {
        const members = new Set(hh.members.map((m) => m.personId));
        const own = rawClaims.filter((c) => members.has(c.personId));
        return [
          hh.householdId,
          evaluateCase(ruleSet, AS_OF, { household: hh as unknown as Case['household'], claims: own }),
        ];
      }),
    );
    // The feed must exercise what this is about: households whose burden moved without their level moving.
    expect([...expected.values()].filter((d) => d.burden12m !== '0.00').length).toBeGreaterThan(20);

    const last = await h.lastStatuses();
    const published = new Map(
      [...last].map(([key, status]) => {
        if (!status) return [key, null];
        const { previousLevel: _p, stateSeq: _s, publishedAt: _t, ...decision } = status;
        return [key, decision];
      }),
    );
    expect(Object.fromEntries(published)).toEqual(Object.fromEntries(expected));
  });
});
