// The household record of contracts.md, from the civil-affairs registry, raw and pseudonymised.
import { z } from 'zod';
import { coded } from './errors.ts';
import { idString, instant, pseudonym, yuan, PERSON_ID_TYPES } from './claim.ts';
import { residentIdProblem } from './resident-id.ts';

export const CATEGORIES = [
  'subsistence',
  'low-income',
  'extreme-poverty',
  'special-relief',
  'orphan',
  'child-in-distress',
  'expenditure-poverty-1',
  'expenditure-poverty-2',
] as const;
export type Category = (typeof CATEGORIES)[number];

const householdFields = {
  householdId: idString,
  streetCode: z.string().refine((s) => /^\d{9}$/.test(s), coded('INVALID_ID', 'streetCode must be 9 digits')),
  districtCode: z.string().refine((s) => /^\d{6}$/.test(s), coded('INVALID_ID', 'districtCode must be 6 digits')),
  annualDisposableIncome: yuan.nullable(),
  categories: z.array(z.enum(CATEGORIES)),
  assetTestPassed: z.boolean().nullable(),
  version: z.number().refine((n) => Number.isSafeInteger(n) && n >= 0, coded('INVALID_VERSION')),
  updatedAt: instant,
};

function noDuplicateMembers(
  members: readonly { personId: string }[],
  ctx: z.RefinementCtx,
  normalise: (id: string) => string,
): void {
  const seen = new Set<string>();
  members.forEach((m, i) => {
    const key = normalise(m.personId);
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['members', i, 'personId'], ...coded('DUPLICATE_MEMBER') });
    seen.add(key);
  });
}

export const RawMemberSchema = z
  .object({ personId: z.string(), personIdType: z.enum(PERSON_ID_TYPES).optional() })
  .superRefine((m, ctx) => {
    if (m.personIdType === undefined) {
      const problem = residentIdProblem(m.personId);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          path: ['personId'],
          ...coded('INVALID_PERSON_ID', `personId is not a valid resident identity number (${problem})`),
        });
    }
  });

export const RawHouseholdSchema = z
  .object({ ...householdFields, members: z.array(RawMemberSchema).min(1) })
  .superRefine((h, ctx) => noDuplicateMembers(h.members, ctx, (id) => id.toUpperCase()));
export type RawHousehold = z.infer<typeof RawHouseholdSchema>;

/** A household on `households.v1`: members carry pseudonyms only. */
export const HouseholdEventSchema = z
  .object({ ...householdFields, members: z.array(z.object({ personId: pseudonym })).min(1), receivedAt: instant })
  .superRefine((h, ctx) => noDuplicateMembers(h.members, ctx, (id) => id));
export type HouseholdEvent = z.infer<typeof HouseholdEventSchema>;
