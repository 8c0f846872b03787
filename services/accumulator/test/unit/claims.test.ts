// Pure parts of the claim path: the fast decoder accepts exactly what ClaimEventSchema accepts (never more),
// the integer-fen delta equals packages/rules' Decimal derivation, and fingerprints separate what they must.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClaimEventSchema, fenToYuan, yuanToFen, type ClaimEvent } from '@warnline/contracts';
import { deriveClaim } from '@warnline/rules';
import { decodeClaim, fastClaim } from '../../src/claim-decode.ts';
import { claimDelta, fingerprint } from '../../src/claim-delta.ts';
import { claimAmountsFromFen } from '@warnline/test';
import { reversalOf, settlement } from '../support.ts';

const fen = fc.integer({ min: 0, max: 5_000_000 });
const yuanText = fen.map(fenToYuan);
const date = fc
  .date({ min: new Date('2023-01-01T00:00:00Z'), max: new Date('2024-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** Valid claim events with random amounts that satisfy the identity. */
const claimArb: fc.Arbitrary<ClaimEvent> = fc
  .record({
    parts: fc.tuple(fen, fen, fen, fen, fen, fen),
    scopeShare: fc.double({ min: 0, max: 1, noNaN: true }),
    date,
    visitType: fc.constantFrom('inpatient', 'outpatient', 'emergency', 'pharmacy'),
    reversal: fc.boolean(),
    id: fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
    person: fc.stringMatching(/^[0-9a-f]{32}$/),
    level: fc.constantFrom(1, 2, 3),
  })
  .map(({ parts, scopeShare, date: serviceDate, visitType, reversal, id, person, level }) => {
    return {
      claimId: id,
      type: reversal ? 'reversal' : 'settlement',
      ...(reversal ? { reversedClaimId: `${id}-orig` } : {}),
      personId: `p_${person}`,
      institution: { code: 'H31011000012', level },
      visitType,
      serviceDate,
      settledAt: `${serviceDate}T10:00:00+08:00`,
      receivedAt: '2024-12-31T00:00:00.000Z',
      amounts: claimAmountsFromFen(parts, (total) => Math.floor(total * scopeShare)),
    } as ClaimEvent;
  });

/** Valid claims broken in one place (or not at all), as JSON values. */
const mutated = fc
  .tuple(
    claimArb,
    fc.constantFrom(
      'none',
      'cash',
      'scope',
      'date',
      'settled',
      'person',
      'type',
      'reversed',
      'level',
      'extra',
      'id',
      'amountType',
      'visit',
      'selfReversal',
      'nullReversed',
    ),
    yuanText,
  )
  .map(([c, how, y]): unknown => {
    const copy = structuredClone(c) as Record<string, unknown> & ClaimEvent;
    switch (how) {
      case 'cash':
        copy.amounts.cash = y;
        break;
      case 'scope':
        copy.amounts.policyScope = fenToYuan(yuanToFen(c.amounts.total) + 1);
        break;
      case 'date':
        copy.serviceDate = '2024-02-30';
        break;
      case 'settled':
        copy.settledAt = `${c.serviceDate}T00:00:00+09:00`;
        break;
      case 'person':
        copy.personId = '11010519491231002X';
        break;
      case 'type':
        copy.type = c.type === 'settlement' ? 'reversal' : 'settlement';
        break;
      case 'reversed':
        delete copy.reversedClaimId;
        break;
      case 'level':
        copy.institution = { code: 'H1', level: 4 as 1 };
        break;
      case 'extra':
        copy.extra = 'dropped';
        break;
      case 'id':
        copy.claimId = 'bad id with spaces';
        break;
      case 'amountType':
        (copy.amounts as Record<string, unknown>).cash = Number(c.amounts.cash);
        break;
      case 'visit':
        (copy as Record<string, unknown>).visitType = 'home';
        break;
      case 'selfReversal':
        Object.assign(copy, { type: 'reversal', reversedClaimId: c.claimId });
        break;
      case 'nullReversed':
        (copy as Record<string, unknown>).reversedClaimId = null;
        break;
    }
    return copy;
  });

describe('fast claim decoder', () => {
  it('never accepts what ClaimEventSchema rejects, and returns what the schema returns', () => {
    fc.assert(
      fc.property(mutated, (value) => {
        const fast = fastClaim(value);
        const schema = ClaimEventSchema.safeParse(value);
        if (fast) {
          expect(schema.success).toBe(true);
          expect(fast).toEqual(schema.data);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the fast path for every valid claim', () => {
    fc.assert(
      fc.property(claimArb, (claim) => {
        expect(ClaimEventSchema.safeParse(claim).success).toBe(true);
        expect(fastClaim(JSON.parse(JSON.stringify(claim)))).toEqual(claim);
      }),
      { numRuns: 1000 },
    );
  });

  it('turns poison into reasons, never into an exception', () => {
    expect(decodeClaim(null)).toMatchObject({ ok: false, rejections: [{ code: 'UNPARSEABLE_MESSAGE' }] });
    expect(decodeClaim(Buffer.from('{"a":'))).toMatchObject({
      ok: false,
      rejections: [{ code: 'UNPARSEABLE_MESSAGE' }],
    });
    expect(decodeClaim(Buffer.from('[1,2]'))).toMatchObject({ ok: false, rejections: [{ code: 'NOT_AN_OBJECT' }] });
    const bad = decodeClaim(Buffer.from(JSON.stringify({ claimId: 'x', type: 'settlement' })));
    expect(bad.ok).toBe(false);
  });

  it('keeps the insured area on the fast path, and leaves a malformed one to the schema', () => {
    const claim = { ...settlement({ person: 'p_0123456789abcdef0123456789abcdef', serviceDate: '2024-03-15' }) };
    const withArea = { ...claim, insuredAreaCode: '310113' };
    expect(fastClaim(JSON.parse(JSON.stringify(withArea)))).toEqual(ClaimEventSchema.parse(withArea));
    expect(fastClaim({ ...claim, insuredAreaCode: '31011X' })).toBeNull();
    expect(fastClaim({ ...claim, insuredAreaCode: 310113 })).toBeNull();
    const decoded = decodeClaim(Buffer.from(JSON.stringify({ ...claim, insuredAreaCode: '31011X' })));
    expect(decoded).toMatchObject({ ok: false, rejections: [{ code: 'INVALID_ID' }] });
  });
});

describe('claim delta in fen', () => {
  it('equals packages/rules deriveClaim (Decimal) on random claims', () => {
    fc.assert(
      fc.property(claimArb, (claim) => {
        const d = claimDelta(claim);
        const r = deriveClaim(claim);
        expect(d.burdenFen).toBe(yuanToFen(r.personalBurden.toFixed(2)));
        expect(d.selfPayFen).toBe(yuanToFen(r.selfPay.toFixed(2)));
        expect(d.month).toBe(r.month);
        expect(d.visitClass).toBe(r.visitClass === 'inpatient' ? 'i' : 'o');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('fingerprints', () => {
  it('ignore receivedAt and money formatting, see every other field', () => {
    fc.assert(
      fc.property(claimArb, (claim) => {
        const f = fingerprint(claim);
        expect(f).toMatch(/^[A-Za-z0-9_-]{12}$/);
        expect(fingerprint({ ...claim, receivedAt: '2030-01-01T00:00:00Z' })).toBe(f);
        const total = claim.amounts.total.replace(/\.(\d)0$/, '.$1');
        expect(fingerprint({ ...claim, amounts: { ...claim.amounts, total } })).toBe(f);
        expect(fingerprint({ ...claim, settledAt: `${claim.serviceDate}T11:00:00+08:00` }).slice(0, 6)).toBe(
          f.slice(0, 6),
        );
        expect(fingerprint({ ...claim, settledAt: `${claim.serviceDate}T11:00:00+08:00` })).not.toBe(f);
        expect(
          fingerprint({ ...claim, visitType: claim.visitType === 'inpatient' ? 'outpatient' : 'inpatient' }).slice(
            0,
            6,
          ),
        ).not.toBe(f.slice(0, 6));
      }),
      { numRuns: 300 },
    );
  });

  it('give a reversal that repeats its original the same economic part', () => {
    fc.assert(
      fc.property(
        claimArb.filter((c) => c.type === 'settlement'),
        (original) => {
          expect(fingerprint(reversalOf(original)).slice(0, 6)).toBe(fingerprint(original).slice(0, 6));
        },
      ),
      { numRuns: 300 },
    );
  });
});
