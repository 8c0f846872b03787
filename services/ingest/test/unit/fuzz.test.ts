// Fuzz (fast-check): thousands of mutated claims. Whatever arrives, every item is either accepted or
// rejected with a stable code, never both, never neither, and no exception escapes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ClaimEventSchema,
  DeadLetterSchema,
  HouseholdEventSchema,
  MAX_HOUSEHOLD_MEMBERS,
  findIdentityNumbers,
  fenToYuan,
  yuanToFen,
  oldestRetainedMonth,
  shanghaiDate,
  REJECTION_CODES,
} from '@warnline/contracts';
import { deadLetter } from '../../src/dead-letter.ts';
import { validateClaim, validateHousehold } from '../../src/validate.ts';
import { mutatedClaim, mutatedHousehold, validClaim } from '../support/mutations.ts';
import { bearer, harness, pseudonymise, TOKENS } from '../support/harness.ts';

const today = shanghaiDate(new Date());
const ctx = { pseudonymise, receivedAt: new Date().toISOString(), today, oldestMonth: oldestRetainedMonth(today, 14) };
const origin = { source: 'http' as const, principal: 'fuzz', receivedAt: ctx.receivedAt };

/** Every identity number anywhere in an input, in any field (ids included), in both cases of X. */
function identityNumbersIn(input: unknown): string[] {
  const text = JSON.stringify(input) ?? '';
  return findIdentityNumbers(text).flatMap((f) => {
    const id = text.slice(f.start, f.end);
    return [id.toUpperCase(), id.toLowerCase()];
  });
}

function expectNoneOf(ids: string[], output: unknown): void {
  const text = JSON.stringify(output);
  for (const id of ids) expect(text.includes(id), `${id} in ${text}`).toBe(false);
}

function rawPersonId(input: unknown): string | undefined {
  const id = input !== null && typeof input === 'object' ? (input as { personId?: unknown }).personId : undefined;
  return typeof id === 'string' && id.length >= 15 ? id : undefined;
}

describe('fuzz', () => {
  it('validateClaim: accepted xor rejected with known codes, events in the contract shape, no raw number out (5,000 claims)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutatedClaim, (input) => {
        const result = validateClaim(input, ctx);
        const raw = rawPersonId(input);
        if (result.ok) {
          accepted++;
          expect(ClaimEventSchema.safeParse(result.event).success).toBe(true);
          if (raw) expect(JSON.stringify(result.event)).not.toContain(raw);
          // Not in the claim's ids either (claimId, reversedClaimId, institution code).
          expectNoneOf(identityNumbersIn(input), result.event);
        } else {
          expect(result.rejections.length).toBeGreaterThan(0);
          for (const r of result.rejections) expect(Object.hasOwn(REJECTION_CODES, r.code)).toBe(true);
          const letter = deadLetter('claim', { json: input }, result.rejections, origin, pseudonymise);
          expect(DeadLetterSchema.safeParse(letter).success).toBe(true);
          if (raw) expect(JSON.stringify(letter)).not.toContain(raw);
          expectNoneOf(identityNumbersIn(input), letter);
        }
      }),
      { numRuns: 5_000 },
    );
    // The generator must exercise both outcomes, or the property says little.
    expect(accepted).toBeGreaterThan(200);
    expect(accepted).toBeLessThan(4_800);
  }, 60_000);

  it('validateHousehold: accepted xor rejected; accepted ones within the bounds, no identity number out (1,000 households)', () => {
    const seen = { accepted: 0, tooMany: 0, outside: 0, idInId: 0 };
    fc.assert(
      fc.property(mutatedHousehold, (input) => {
        const result = validateHousehold(input, ctx);
        const ids = identityNumbersIn(input);
        if (result.ok) {
          seen.accepted++;
          const event = HouseholdEventSchema.parse(result.event);
          expect(event.members.length).toBeLessThanOrEqual(MAX_HOUSEHOLD_MEMBERS);
          expect(event.streetCode.startsWith(event.districtCode)).toBe(true);
          expectNoneOf(ids, event);
        } else {
          for (const r of result.rejections) expect(Object.hasOwn(REJECTION_CODES, r.code)).toBe(true);
          const codes = new Set(result.rejections.map((r) => r.code));
          if (codes.has('TOO_MANY_MEMBERS')) seen.tooMany++;
          if (codes.has('STREET_OUTSIDE_DISTRICT')) seen.outside++;
          if (codes.has('IDENTITY_NUMBER_IN_ID')) seen.idInId++;
          const letter = deadLetter('household', { json: input }, result.rejections, origin, pseudonymise);
          expect(DeadLetterSchema.safeParse(letter).success).toBe(true);
          expectNoneOf(ids, letter);
        }
      }),
      { numRuns: 1_000 },
    );
    expect(seen.accepted).toBeGreaterThan(150);
    for (const n of [seen.tooMany, seen.outside, seen.idInId]) expect(n).toBeGreaterThan(30);
  }, 60_000);

  it('validateClaim: amounts around 10,000,000.00 yuan are accepted up to it, refused above it with AMOUNT_TOO_LARGE per field (2,000 claims)', () => {
    const MAX_AMOUNT_FEN = 1_000_000_000;
    const near = fc.oneof(
      fc.integer({ min: 0, max: MAX_AMOUNT_FEN }),
      fc.integer({ min: MAX_AMOUNT_FEN - 2, max: MAX_AMOUNT_FEN + 2 }),
      fc.integer({ min: 0, max: 99_999_999_999_999 }),
    );
    let refused = 0;
    fc.assert(
      fc.property(validClaim, near, fc.integer({ min: 0, max: 5 }), (claim, amount, part) => {
        // One part set to the amount, the total following it: the identity holds, only the bound can fail.
        const fields = ['basicFund', 'criticalIllness', 'supplementary', 'assistance', 'personalAccount', 'cash'];
        const amounts = { ...(claim.amounts as Record<string, string>), [fields[part]!]: fenToYuan(amount) };
        const total = fields.reduce((sum, f) => sum + yuanToFen(amounts[f]!), 0);
        const input = { ...claim, amounts: { ...amounts, total: fenToYuan(total), policyScope: '0.00' } };
        const over = ['total', fields[part]!].filter((f) => yuanToFen(input.amounts[f as 'total']) > MAX_AMOUNT_FEN);
        const result = validateClaim(input, ctx);
        if (over.length === 0) {
          expect(result.ok).toBe(true);
        } else {
          refused++;
          expect(result.ok).toBe(false);
          if (!result.ok) {
            expect(result.rejections.map((r) => `${r.code}@${r.field}`).sort()).toEqual(
              over.map((f) => `AMOUNT_TOO_LARGE@amounts.${f}`).sort(),
            );
          }
        }
      }),
      { numRuns: 2_000 },
    );
    expect(refused).toBeGreaterThan(100);
  });

  it('POST /v1/claims: accepted + rejected = sent, for every batch (300 batches, ~7,500 claims)', async () => {
    const h = harness();
    let sent = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(mutatedClaim, { minLength: 10, maxLength: 50 }), async (items) => {
          h.written.length = 0;
          const res = await h.app.inject({
            method: 'POST',
            url: '/v1/claims',
            headers: bearer(TOKENS.hospital),
            payload: JSON.stringify(items),
          });
          expect(res.statusCode).toBe(202);
          const body = res.json() as { accepted: number; rejected: { index: number; code: string }[] };
          // An item that made ingest fail unexpectedly would be dead-lettered as UNPROCESSABLE_ITEM: none may.
          expect(body.rejected.filter((r) => r.code === 'UNPROCESSABLE_ITEM')).toEqual([]);
          expect(body.accepted + body.rejected.length).toBe(items.length);
          expect(new Set(body.rejected.map((r) => r.index)).size).toBe(body.rejected.length);
          const out = h.written[0]!;
          expect(out.claims.length).toBe(body.accepted);
          expect(out.claimDeadLetters.length).toBe(body.rejected.length);
          sent += items.length;
        }),
        { numRuns: 300 },
      );
    } finally {
      await h.app.close();
    }
    expect(sent).toBeGreaterThan(3_000);
  });
});
