// Fuzz (fast-check): thousands of mutated claims. Whatever arrives, every item is either accepted or
// rejected with a stable code, never both, never neither, and no exception escapes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ClaimEventSchema,
  DeadLetterSchema,
  fenToYuan,
  yuanToFen,
  oldestRetainedMonth,
  shanghaiDate,
  REJECTION_CODES,
} from '@warnline/contracts';
import { deadLetter } from '../../src/dead-letter.ts';
import { validateClaim } from '../../src/validate.ts';
import { mutatedClaim, validClaim } from '../support/mutations.ts';
import { bearer, harness, pseudonymise, TOKENS } from '../support/harness.ts';

const today = shanghaiDate(new Date());
const ctx = { pseudonymise, receivedAt: new Date().toISOString(), today, oldestMonth: oldestRetainedMonth(today, 14) };
const origin = { source: 'http' as const, principal: 'fuzz', receivedAt: ctx.receivedAt };

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
        } else {
          expect(result.rejections.length).toBeGreaterThan(0);
          for (const r of result.rejections) expect(Object.hasOwn(REJECTION_CODES, r.code)).toBe(true);
          const letter = deadLetter('claim', { json: input }, result.rejections, origin, pseudonymise);
          expect(DeadLetterSchema.safeParse(letter).success).toBe(true);
          if (raw) expect(JSON.stringify(letter)).not.toContain(raw);
        }
      }),
      { numRuns: 5_000 },
    );
    // The generator must exercise both outcomes, or the property says little.
    expect(accepted).toBeGreaterThan(200);
    expect(accepted).toBeLessThan(4_800);
  });

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
