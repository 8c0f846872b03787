// Registry updates that move people between households, in one batch of households.v1 and across batches,
// with the registry before the claims and after them: a member moves to another household, another to a new
// household, one leaves to nobody (a household of one again) and a household of one joins a household. Every
// household's last status carries its members' burden to the fen, and every pointer ends where the registry
// says.
import { describe, expect, it } from 'vitest';
import type { ClaimEvent, HouseholdEvent } from '@warnline/contracts';
import { pseudonymFor, registryHousehold, settlement } from '../support.ts';
import { startedHarness } from './harness.ts';

type Order = 'registry before claims' | 'claims before registry';
type Batching = 'in one batch' | 'across batches';

describe('accumulator: membership changes of every kind', () => {
  // One partition: the records of one send arrive in one batch, as a registry's bulk update does.
  const h = startedHarness(1);

  const cases: [Order, Batching][] = [
    ['registry before claims', 'in one batch'],
    ['claims before registry', 'in one batch'],
    ['registry before claims', 'across batches'],
    ['claims before registry', 'across batches'],
  ];

  it.each(cases)('moves, joins and leaves with the %s, %s', async (order, batching) => {
    const [a1, a2, b1, n1] = [pseudonymFor(), pseudonymFor(), pseudonymFor(), pseudonymFor()];
    const [solo, leaver] = [pseudonymFor(), pseudonymFor()];
    const tag = a1.slice(2, 10);
    const [A, B, N] = [`HH-A-${tag}`, `HH-B-${tag}`, `HH-N-${tag}`];
    const record = (householdId: string, members: string[], version: number): HouseholdEvent =>
      registryHousehold({ householdId, members, version, income: '500000.00' });
    const before = [record(A, [a1, a2, n1, leaver], 1), record(B, [b1], 1)];
    // a2 moves from A to B, n1 from A to the new household N, the leaver joins nobody, the household of one
    // joins B. A first: its unlinks are queued before B's and N's links.
    const after = [record(A, [a1], 2), record(B, [b1, a2, solo], 2), record(N, [n1], 1)];
    const claims: ClaimEvent[] = [
      settlement({ person: a1, serviceDate: '2024-01-10', cash: '1000.01' }),
      settlement({ person: a2, serviceDate: '2024-02-10', cash: '2000.02' }),
      settlement({ person: b1, serviceDate: '2024-03-10', cash: '3000.03' }),
      settlement({ person: n1, serviceDate: '2024-04-10', cash: '4000.04' }),
      settlement({ person: solo, serviceDate: '2024-05-10', cash: '5000.05' }),
      settlement({ person: leaver, serviceDate: '2024-06-10', cash: '6000.06', visitType: 'inpatient' }),
    ];

    const sendRegistry = async () => {
      await h.sendHouseholds(before);
      await h.drained();
      if (batching === 'in one batch') {
        await h.sendHouseholds(after);
        await h.drained();
      } else {
        for (const r of after) {
          await h.sendHouseholds([r]);
          await h.drained();
        }
      }
    };
    const sendClaims = async () => {
      await h.sendClaims(claims);
      await h.drained();
    };
    if (order === 'registry before claims') {
      await sendRegistry();
      await sendClaims();
    } else {
      await sendClaims();
      await sendRegistry();
    }

    await h.expectTotalsMatch(claims, (actual, expected) => expect(actual).toEqual(expected));
    const pointers = await Promise.all([a1, a2, b1, n1, solo, leaver].map((p) => h.redis.hget(h.keys.person(p), 'h')));
    expect(pointers).toEqual([A, B, B, N, B, null]);

    const last = await h.lastStatuses();
    expect(last.get(A)).toMatchObject({ burden12m: '1000.01', members: 1 });
    expect(last.get(B)).toMatchObject({ burden12m: '10000.10', members: 3 });
    expect(last.get(N)).toMatchObject({ burden12m: '4000.04', members: 1 });
    expect(last.get(leaver)).toMatchObject({ householdId: leaver, burden12m: '6000.06', members: 1 });
    // The joiner's household of one ended: a tombstone if it had been published, else nothing at all.
    expect(last.get(solo) ?? null).toBeNull();
    for (const p of [a1, a2, b1, n1]) expect(last.has(p) ? last.get(p) : null).toBeNull();
  });
});
