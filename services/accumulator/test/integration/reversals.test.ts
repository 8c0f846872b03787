// Reversals in the stream: a reversal cancels the settlement it names in full, in that settlement's month,
// whichever arrives first, whatever its own amounts; and the stream agrees with the batch path
// (packages/rules' evaluateCase, what `warnline rules eval` runs) on the same claims, to the fen.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  institutionTag,
  parseClaimRecord,
  residentIdCheckChar,
  type Claim,
  type ClaimEvent,
  type Household,
} from '@warnline/contracts';
import { evaluateCase, evaluateHousehold, getRuleSet, yuanUsage } from '@warnline/rules';
import { soloHousehold, usageOf } from '../../src/usage.ts';
import { pseudonymFor, reversalOf, settlement } from '../support.ts';
import { AS_OF, startedHarness } from './harness.ts';

/** A partial refund sent as a reversal: same claim named, smaller amounts, a later service date. */
function partialRefund(original: ClaimEvent, cash: string, claimId = `${original.claimId}-P`): ClaimEvent {
  const smaller = settlement({ person: original.personId, serviceDate: '2024-06-20', cash });
  const { serviceDate, settledAt, amounts } = smaller;
  return { ...reversalOf(original, claimId), serviceDate, settledAt, amounts };
}

describe('accumulator: reversals', () => {
  const h = startedHarness(2);

  const record = async (person: string, claimId: string) =>
    parseClaimRecord((await h.redis.hget(h.keys.personClaims(person), claimId)) ?? '');

  it('a reversal arriving second nets its original to zero in the original month, whatever its own amounts', async () => {
    const person = pseudonymFor();
    const kept = settlement({ person, serviceDate: '2024-02-10', cash: '40.00' });
    const exact = settlement({ person, serviceDate: '2024-03-05', cash: '1000.00', visitType: 'inpatient' });
    const refunded = settlement({ person, serviceDate: '2024-04-05', cash: '800.00' });
    await h.sendClaims([kept, exact, refunded]);
    await h.drained();
    expect(await h.totals(person)).toEqual({ burdenFen: 184_000, selfPayFen: 184_000 - 3000 });

    await h.sendClaims([reversalOf(exact), partialRefund(refunded, '300.00')]);
    await h.drained();
    expect(await h.totals(person)).toEqual({ burdenFen: 4000, selfPayFen: 3000 });
    // Nothing left in the months of the cancelled claims, nothing subtracted in the refund's own month.
    expect(Object.keys(await h.redis.hgetall(h.keys.person(person))).filter((f) => f.includes(':'))).toEqual([
      '2024-02:o',
    ]);
    expect(await record(person, exact.claimId)).toMatchObject({ state: 'X', flags: 0 });
    expect(await record(person, refunded.claimId)).toMatchObject({ state: 'X', flags: 4 });
    expect(await record(person, `${refunded.claimId}-P`)).toMatchObject({
      state: 'R',
      flags: 4,
      institutionTag: institutionTag(refunded.institution.code),
    });
  });

  it('a reversal arriving first leaves a placeholder: the original then counts nothing', async () => {
    const person = pseudonymFor();
    const exact = settlement({ person, serviceDate: '2024-03-05', cash: '1000.00' });
    const refunded = settlement({ person, serviceDate: '2024-04-05', cash: '800.00' });
    const later = settlement({ person, serviceDate: '2024-05-05', cash: '12.34' });
    await h.sendClaims([reversalOf(exact), partialRefund(refunded, '300.00')]);
    await h.drained();
    expect(await h.totals(person)).toEqual({ burdenFen: 0, selfPayFen: 0 });
    expect(await record(person, exact.claimId)).toMatchObject({ state: 'P' });

    await h.sendClaims([exact, refunded, later]);
    await h.drained();
    expect(await h.totals(person)).toEqual({ burdenFen: 1234, selfPayFen: 234 });
    expect(await record(person, exact.claimId)).toMatchObject({ state: 'X', flags: 0 });
    expect(await record(person, refunded.claimId)).toMatchObject({ state: 'X', flags: 4 });
  });

  it('a cancellation written with negative amounts cancels in full, first or second', async () => {
    const person = pseudonymFor();
    const negative = (c: ClaimEvent): ClaimEvent => ({
      ...reversalOf(c),
      amounts: Object.fromEntries(
        Object.entries(c.amounts).map(([k, v]) => [k, v === '0.00' ? v : `-${v}`]),
      ) as ClaimEvent['amounts'],
    });
    const second = settlement({ person, serviceDate: '2024-03-05', cash: '600.00' });
    const first = settlement({ person, serviceDate: '2024-04-05', cash: '900.00' });
    await h.sendClaims([second, negative(second), negative(first)]);
    await h.drained();
    await h.sendClaims([first]);
    await h.drained();
    expect(await h.totals(person)).toEqual({ burdenFen: 0, selfPayFen: 0 });
    expect(await record(person, second.claimId)).toMatchObject({ state: 'X', flags: 4 });
    expect(await record(person, first.claimId)).toMatchObject({ state: 'X', flags: 4 });
  });

  it('redelivery, a second reversal and a conflicting resend change nothing; refusals are recorded', async () => {
    const person = pseudonymFor();
    const original = settlement({ person, serviceDate: '2024-03-05', cash: '500.00' });
    const other = settlement({ person, serviceDate: '2024-03-06', cash: '70.00' });
    const r1 = reversalOf(original, `${original.claimId}-R1`);
    const r2 = partialRefund(original, '1.00', `${original.claimId}-R2`);
    const resend: ClaimEvent = { ...other, settledAt: '2024-03-07T09:00:00+08:00' };
    await h.sendClaims([original, other, r1]);
    await h.drained();
    await h.sendClaims([original, other, r1, r2, resend, r1, original]);
    await h.drained();
    expect(await h.totals(person)).toEqual({ burdenFen: 7000, selfPayFen: 6000 });
    expect(await record(person, original.claimId)).toMatchObject({ state: 'X', flags: 1 });
    expect(await record(person, other.claimId)).toMatchObject({ state: 'S', flags: 1 | 2 });
    expect(await record(person, r1.claimId)).toMatchObject({ state: 'R', flags: 1 });
    expect(await record(person, r2.claimId)).toMatchObject({ state: 'N' });
    const letters = await h.deadLetters((items) => items.filter((d) => d.input?.personId === person).length >= 2);
    expect(
      [
        ...new Set(letters.filter((d) => d.input?.personId === person).map((d) => `${d.code}:${d.input?.claimId}`)),
      ].sort(),
    ).toEqual([`CLAIM_CONFLICT:${other.claimId}`, `REVERSAL_ALREADY_APPLIED:${r2.claimId}`].sort());
  });

  it('gives the same burden and self-pay as the batch path on the same claims, to the fen', async () => {
    // Raw claims as a hospital sends them (resident identity numbers); the stream gets them pseudonymised,
    // as ingest would, and the batch path gets them as they are.
    const residentId = (n: number) => {
      const first17 = `31011019800101${String(n).padStart(3, '0')}`;
      return first17 + residentIdCheckChar(first17);
    };
    const id = residentId(100 + (process.pid % 800));
    const person = `p_${createHmac('sha256', 'reversal-test').update(`${id}|${h.redisPrefix}`).digest('hex').slice(0, 32)}`;
    const base = [
      settlement({ person, serviceDate: '2024-01-15', cash: '2000.00', visitType: 'inpatient' }),
      settlement({ person, serviceDate: '2024-02-15', cash: '950.50' }),
      settlement({ person, serviceDate: '2024-03-15', cash: '120.00', personalAccount: '30.00' }),
      settlement({ person, serviceDate: '2024-04-15', cash: '777.77' }),
    ];
    const stream: ClaimEvent[] = [
      partialRefund(base[0]!, '500.00'), // a partial refund, before its original
      ...base,
      reversalOf(base[2]!), // an exact reversal, after
      partialRefund(base[3]!, '7.77'), // a partial refund, after
      reversalOf(base[3]!, `${base[3]!.claimId}-R2`), // a second reversal of the same original
      base[1]!, // a duplicate
    ];
    await h.sendClaims(stream);
    await h.drained();

    const raw = stream.map(({ receivedAt: _r, personId: _p, ...c }) => ({ ...c, personId: id }) as Claim);
    const ruleSet = getRuleSet('shanghai', AS_OF);
    const household: Household = {
      householdId: 'HH-REVERSALS',
      streetCode: '310110001',
      districtCode: '310110',
      members: [{ personId: id }],
      annualDisposableIncome: null,
      categories: [],
      assetTestPassed: null,
      version: 1,
      updatedAt: '2024-01-01T00:00:00+08:00',
    };
    const batch = evaluateCase(ruleSet, AS_OF, { household, claims: raw });
    const streamed = evaluateHousehold(ruleSet, {
      household: soloHousehold(person),
      usage: yuanUsage(usageOf(person, await h.redis.hgetall(h.keys.person(person)))),
      asOf: AS_OF,
    });
    expect(streamed.burden12m).toBe(batch.burden12m);
    expect(streamed.selfPaid12m).toBe(batch.selfPaid12m);
    expect(batch.burden12m).toBe('950.50');
  });
});
