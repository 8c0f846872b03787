// Raw input → pseudonymised events, or rejections with stable codes. Pure apart from the clock passed in.
import {
  RawClaimSchema, RawHouseholdSchema, toRejections,
  type ClaimEvent, type HouseholdEvent, type Rejection,
} from '@warnline/contracts';
import type { Pseudonymise } from './pseudonym.ts';

export type ItemResult<T> = { ok: true; event: T } | { ok: false; rejections: Rejection[] };

export function validateClaim(input: unknown, pseudonymise: Pseudonymise, receivedAt: string): ItemResult<ClaimEvent> {
  const parsed = RawClaimSchema.safeParse(input);
  if (!parsed.success) return { ok: false, rejections: toRejections(parsed.error.issues, input) };
  const { personId, personIdType, ...rest } = parsed.data;
  return { ok: true, event: { ...rest, personId: pseudonymise(personId, personIdType ?? 'resident'), receivedAt } };
}

export function validateHousehold(input: unknown, pseudonymise: Pseudonymise, receivedAt: string): ItemResult<HouseholdEvent> {
  const parsed = RawHouseholdSchema.safeParse(input);
  if (!parsed.success) return { ok: false, rejections: toRejections(parsed.error.issues, input) };
  const members = parsed.data.members.map((m) => ({ personId: pseudonymise(m.personId, m.personIdType ?? 'resident') }));
  return { ok: true, event: { ...parsed.data, members, receivedAt } };
}
