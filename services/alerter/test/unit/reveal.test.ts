// Who may reveal which alert's identities, and which pseudonyms an alert names: pure, no services.
import { describe, expect, it } from 'vitest';
import { mayReveal, membersOf } from '../../src/reveal.ts';

describe('reveal scope', () => {
  it('lets a street reveal its own street and a district its streets; admin never', () => {
    const street = { name: 'st', role: 'street', street: '310113103' } as const;
    const district = { name: 'qu', role: 'district', district: '310113' } as const;
    const admin = { name: 'ops', role: 'admin' } as const;
    expect(mayReveal(street, '310113103')).toBe(true);
    expect(mayReveal(street, '310113104')).toBe(false);
    expect(mayReveal(district, '310113104')).toBe(true);
    expect(mayReveal(district, '310115001')).toBe(false);
    expect(mayReveal(admin, '310113103')).toBe(false);
  });
});

describe('members of an alert', () => {
  const p = (c: string) => `p_${c.repeat(32)}`;

  it('are the pseudonyms the job named, once each', () => {
    const data = JSON.stringify({ members: [p('a'), p('b'), p('a')] });
    expect(membersOf({ householdId: 'HH1', data })).toEqual([p('a'), p('b')]);
  });

  it('are the household of one its id names when the job named none', () => {
    expect(membersOf({ householdId: p('c'), data: '{}' })).toEqual([p('c')]);
    expect(membersOf({ householdId: 'HH1', data: '{}' })).toEqual([]);
    expect(membersOf({ householdId: 'HH1', data: 'not json' })).toEqual([]);
  });
});
