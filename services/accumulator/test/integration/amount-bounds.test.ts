// One person's claims at the largest amount the claim contract allows: refused at the edge with a code, never
// summed past what the totals can hold exactly, and the service keeps consuming.
import { describe, expect, it } from 'vitest';
import type { ClaimEvent } from '@warnline/contracts';
import { waitFor } from '@warnline/test';
import { pseudonymFor, settlement } from '../support.ts';
import { startedHarness } from './harness.ts';

describe('accumulator: amount bounds', () => {
  const h = startedHarness(1);

  it('dead-letters claims above 10,000,000.00 yuan and keeps counting the rest', async () => {
    const person = pseudonymFor();
    const huge = (i: number): ClaimEvent => {
      const base = settlement({ person, serviceDate: '2024-05-0' + (1 + (i % 9)), claimId: `HUGE-${person}-${i}` });
      const zero = { ...base.amounts, basicFund: '0.00', policyScope: '0.00', personalAccount: '0.00' };
      return { ...base, amounts: { ...zero, total: '9999999999999.99', cash: '9999999999999.99' } };
    };
    const bigs = Array.from({ length: 10 }, (_, i) => huge(i));
    const good = settlement({ person, serviceDate: '2024-06-01', cash: '123.45' });
    await h.sendClaims([...bigs, good]);
    await h.drained();
    expect(await h.totals(person)).toEqual({ burdenFen: 12_345, selfPayFen: 12_345 - 1000 });
    const letters = await h.deadLetters((items) => items.filter((d) => d.input?.personId === person).length >= 10);
    const mine = letters.filter((d) => d.input?.personId === person);
    expect(new Set(mine.map((d) => `${d.code}@${d.field}`))).toEqual(new Set(['AMOUNT_TOO_LARGE@amounts.total']));
    expect(new Set(mine.map((d) => d.input?.claimId))).toEqual(new Set(bigs.map((c) => c.claimId)));
    await waitFor('the service still healthy', async () => (await fetch(`${h.services[0]!.url}/healthz`)).ok);
  });
});
