// The household record of docs/contracts.md, from the civil-affairs registry, raw and pseudonymised.
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

/**
 * Most members a household record may list. A registry household is a family living together; far more
 * members than this is a data error, and an unbounded list would make a record Kafka cannot carry.
 */
export const MAX_HOUSEHOLD_MEMBERS = 50;

/** A street's (街道) administrative code: 9 digits, beginning with its district's code. */
export const STREET_CODE = /^\d{9}$/;
/** A district's (区) administrative code: 6 digits. */
export const DISTRICT_CODE = /^\d{6}$/;

const householdFields = {
  householdId: idString,
  streetCode: z.string().refine((s) => STREET_CODE.test(s), coded('INVALID_ID', 'streetCode must be 9 digits')),
  districtCode: z.string().refine((s) => DISTRICT_CODE.test(s), coded('INVALID_ID', 'districtCode must be 6 digits')),
  annualDisposableIncome: yuan.nullable(),
  categories: z.array(z.enum(CATEGORIES)),
  assetTestPassed: z.boolean().nullable(),
  version: z.number().refine((n) => Number.isSafeInteger(n) && n >= 0, coded('INVALID_VERSION')),
  updatedAt: instant,
};

/**
 * A member list of at most MAX_HOUSEHOLD_MEMBERS, checked before any member is: an oversized list is
 * refused once, not once per member.
 */
function memberList<T extends z.ZodType>(member: T) {
  return z
    .array(z.unknown())
    .superRefine((members, ctx) => {
      if (members.length > MAX_HOUSEHOLD_MEMBERS)
        // Fatal: the record's own refinements must not run over the unchecked members.
        ctx.addIssue({
          code: 'custom',
          continue: false,
          ...coded('TOO_MANY_MEMBERS', `members lists ${members.length}; at most ${MAX_HOUSEHOLD_MEMBERS} are taken`),
        });
    })
    .pipe(z.array(member).min(1));
}

/** A street's code begins with its district's: a record must not hand a street to another district. */
function streetInDistrict(h: { streetCode: string; districtCode: string }, ctx: z.RefinementCtx): void {
  if (STREET_CODE.test(h.streetCode) && DISTRICT_CODE.test(h.districtCode) && !h.streetCode.startsWith(h.districtCode))
    ctx.addIssue({ code: 'custom', path: ['streetCode'], ...coded('STREET_OUTSIDE_DISTRICT') });
}

function noDuplicateMembers(
  members: readonly { personId: string }[],
  ctx: z.RefinementCtx,
  normalise: (id: string) => string,
): void {
  const seen = new Set<string>();
  members.forEach((m, i) => {
    // A member that is not an object of strings has its own issue already.
    if (typeof m?.personId !== 'string') return;
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
  .object({ ...householdFields, members: memberList(RawMemberSchema) })
  .superRefine((h, ctx) => {
    streetInDistrict(h, ctx);
    noDuplicateMembers(h.members, ctx, (id) => id.toUpperCase());
  });
export type RawHousehold = z.infer<typeof RawHouseholdSchema>;

/** A household on `households.v1`: members carry pseudonyms only. */
export const HouseholdEventSchema = z
  .object({ ...householdFields, members: memberList(z.object({ personId: pseudonym })), receivedAt: instant })
  .superRefine((h, ctx) => {
    streetInDistrict(h, ctx);
    noDuplicateMembers(h.members, ctx, (id) => id);
  });
export type HouseholdEvent = z.infer<typeof HouseholdEventSchema>;
