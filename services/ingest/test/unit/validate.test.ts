import { describe, expect, it } from 'vitest';
import { ClaimEventSchema, HouseholdEventSchema, oldestRetainedMonth } from '@warnline/contracts';
import { validateClaim, validateHousehold, type ValidationContext } from '../../src/validate.ts';
import { claim, household, residentId } from '@warnline/test';
import { pseudonymise } from '../support/harness.ts';

const ctx = (today = '2024-06-15', retention = 14): ValidationContext => ({
  pseudonymise,
  receivedAt: '2024-06-15T02:00:00.000Z',
  today,
  oldestMonth: oldestRetainedMonth(today, retention),
});
const codes = (input: unknown, c = ctx()) => {
  const r = validateClaim(input, c);
  return r.ok ? [] : r.rejections.map((x) => `${x.code}@${x.field}`);
};

describe('validateClaim', () => {
  it('turns a valid claim into a pseudonymised claims.v1 event', () => {
    const raw = claim({ serviceDate: '2024-06-10', personId: residentId(3) });
    const r = validateClaim(raw, ctx());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(ClaimEventSchema.parse(r.event)).toEqual(r.event);
    expect(r.event.personId).toBe(pseudonymise(residentId(3)));
    expect(JSON.stringify(r.event)).not.toContain(residentId(3));
  });

  it('refuses a service date after today (Shanghai) and one before the retained months', () => {
    expect(codes(claim({ serviceDate: '2024-06-16' }))).toEqual(['SERVICE_DATE_IN_FUTURE@serviceDate']);
    expect(codes(claim({ serviceDate: '2024-06-15' }))).toEqual([]);
    // 14 months kept counting June 2024: May 2023 is the oldest.
    expect(codes(claim({ serviceDate: '2023-05-01' }))).toEqual([]);
    expect(codes(claim({ serviceDate: '2023-04-30' }))).toEqual(['SERVICE_DATE_TOO_OLD@serviceDate']);
    expect(codes(claim({ serviceDate: '2024-01-31' }), ctx('2024-06-15', 5))).toEqual([
      'SERVICE_DATE_TOO_OLD@serviceDate',
    ]);
  });

  it('reports a date problem together with schema problems', () => {
    const raw = { ...claim({ serviceDate: '2024-07-01' }), visitType: 'dental' };
    expect(codes(raw)).toEqual(['INVALID_ENUM@visitType', 'SERVICE_DATE_IN_FUTURE@serviceDate']);
  });

  it('is byte-for-byte deterministic apart from receivedAt: key order, extra fields and money spelling do not matter', () => {
    const raw = claim({ claimId: 'H31011000012-20240610-000001', serviceDate: '2024-06-10', cash: '4000.00' });
    const reordered = Object.fromEntries(
      Object.entries({ ...raw, zzz: 'ignored', amounts: { ...raw.amounts, cash: '4000.0' } }).reverse(),
    );
    const a = validateClaim(raw, ctx());
    const b = validateClaim(reordered, { ...ctx(), receivedAt: '2024-06-15T03:00:00.000Z' });
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    const { receivedAt: ra, ...restA } = a.event;
    const { receivedAt: rb, ...restB } = b.event;
    expect(ra).not.toBe(rb);
    expect(JSON.stringify(restA)).toBe(JSON.stringify(restB));
    expect(restA.amounts.cash).toBe('4000.00');
  });

  it('treats the lower-case check character as the same person', () => {
    const a = validateClaim(claim({ serviceDate: '2024-06-10', personId: '11010519491231002X' }), ctx());
    const b = validateClaim(claim({ serviceDate: '2024-06-10', personId: '11010519491231002x' }), ctx());
    expect(a.ok && b.ok && a.event.personId === b.event.personId).toBe(true);
  });
});

describe('validateHousehold', () => {
  it('pseudonymises every member with the same function as claims', () => {
    const r = validateHousehold(household({ members: [residentId(1), residentId(2)], income: '60000.5' }), ctx());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(HouseholdEventSchema.parse(r.event)).toEqual(r.event);
    expect(r.event.members).toEqual([
      { personId: pseudonymise(residentId(1)) },
      { personId: pseudonymise(residentId(2)) },
    ]);
    expect(r.event.annualDisposableIncome).toBe('60000.50');
  });

  it('gives each problem its code', () => {
    const r = validateHousehold({ ...household(), version: -1, members: [{ personId: '110105194912310021' }] }, ctx());
    expect(r.ok ? [] : r.rejections.map((x) => `${x.code}@${x.field}`)).toEqual([
      'INVALID_VERSION@version',
      'INVALID_PERSON_ID@members.0.personId',
    ]);
  });
});
