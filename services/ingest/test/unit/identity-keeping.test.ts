// Keeping identities with the pseudonyms the intake issues: an accepted claim or household brings its
// persons' identities into the delivery, a refused item none; the bounded set of recently stored
// pseudonyms evicts the oldest.
import { describe, expect, it } from 'vitest';
import { claim, household, residentId } from '@warnline/test';
import { createIdentityKeeper } from '../../src/identity-keeping.ts';
import type { IdentityStore, PersonIdentity } from '../../src/identity-store.ts';
import { createIntake, emptyOutbound } from '../../src/intake.ts';
import { RecentSet } from '../../src/recent-set.ts';
import { pseudonymise } from '../support/harness.ts';
import { redactedLogCapture } from '../support/redacted-log.ts';

const origin = { source: 'http' as const, principal: 'ruijin', receivedAt: new Date().toISOString() };

describe('identities kept by the intake', () => {
  const intake = createIntake({ pseudonymise, retentionMonths: 14 });

  it('notes the identity of every person an accepted claim or household names, canonical', () => {
    const ctx = intake.context(new Date());
    const out = emptyOutbound();
    const lower = residentId(5).replace('X', 'x');
    expect(intake.claim({ json: claim({ personId: lower }) }, ctx, origin, out).ok).toBe(true);
    expect(
      intake.household({ json: household({ members: [residentId(6), residentId(7)] }) }, ctx, origin, out).ok,
    ).toBe(true);
    expect([...out.identities]).toEqual([
      [pseudonymise(residentId(5)), { personIdType: 'resident', personId: residentId(5) }],
      [pseudonymise(residentId(6)), { personIdType: 'resident', personId: residentId(6) }],
      [pseudonymise(residentId(7)), { personIdType: 'resident', personId: residentId(7) }],
    ]);
  });

  it('notes nothing for a refused item', () => {
    const ctx = intake.context(new Date());
    const out = emptyOutbound();
    expect(
      intake.claim({ json: { ...claim({ personId: residentId(8) }), visitType: 'dental' } }, ctx, origin, out).ok,
    ).toBe(false);
    expect(intake.claim({ json: claim({ personId: residentId(9) }) }, ctx, origin, out, () => false).ok).toBe(false);
    expect(out.identities.size).toBe(0);
    expect(out.claimDeadLetters).toHaveLength(2);
  });
});

describe('identity keeper (pseudonymise and keep, for tools that build events themselves)', () => {
  it('keeps what it pseudonymised at flush, and keeps it for the next flush when the store fails', async () => {
    const stored: Map<string, PersonIdentity>[] = [];
    let failing = true;
    const store: IdentityStore = {
      async keep(identities) {
        if (failing) throw new Error('redis away');
        stored.push(new Map(identities));
      },
      async reveal() {
        return [];
      },
    };
    const keeper = createIdentityKeeper(pseudonymise, store);
    const p = keeper.pseudonymise(residentId(11));
    expect(p).toBe(pseudonymise(residentId(11)));
    await expect(keeper.flush()).rejects.toMatchObject({ code: 'IDENTITY_STORE_UNAVAILABLE', retriable: true });
    failing = false;
    await keeper.flush();
    expect(stored).toEqual([new Map([[p, { personIdType: 'resident', personId: residentId(11) }]])]);
    await keeper.flush();
    expect(stored).toHaveLength(1);
  });
});

describe('recent set', () => {
  it('holds at most its capacity, evicting the least recently seen', () => {
    const set = new RecentSet(2);
    set.add('a');
    set.add('b');
    expect(set.has('a')).toBe(true);
    set.add('c');
    expect(set.has('b')).toBe(false);
    expect(set.has('a')).toBe(true);
    expect(set.has('c')).toBe(true);
    expect(set.size).toBe(2);
    const none = new RecentSet(0);
    none.add('a');
    expect(none.has('a')).toBe(false);
  });
});

describe('log redaction of revealed identities', () => {
  it('censors an identities list wherever a careless log call puts it', () => {
    const { log, lines } = redactedLogCapture();
    const id = residentId(29);
    const identities = [{ pseudonym: 'p_x', personIdType: 'resident', personId: id }];
    log.info({ identities }, 'a');
    log.info({ answer: { identities } }, 'b');
    log.info({ reply: { body: { identities } } }, 'c');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain(id);
  });
});
