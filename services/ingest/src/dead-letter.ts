// Dead letters for refused inputs: the reason, where the input came from, and the input reduced to the
// contract's fields with every identity number pseudonymised (valid) or masked (invalid). Nothing outside
// the contract is kept, since an unknown field may hold anything (a name, an address, a raw number).
import {
  AmountsSchema,
  buildDeadLetter,
  InstitutionSchema,
  jsonType,
  maskIdentityNumbersIn,
  maskPersonId,
  residentIdProblem,
  type DeadLetter,
  type DeadLetterOrigin,
  type RefusedInput,
  type Rejection,
} from '@warnline/contracts';
import type { PersonIdType, Pseudonymise } from './pseudonym.ts';

export type Origin = DeadLetterOrigin;
export type { RefusedInput };

type Kind = DeadLetter['kind'];

const CLAIM_FIELDS = [
  'claimId',
  'type',
  'reversedClaimId',
  'personIdType',
  'personId',
  'institution',
  'visitType',
  'serviceDate',
  'settledAt',
  'amounts',
  'hospitalShare',
  'insuredAreaCode',
];
const HOUSEHOLD_FIELDS = [
  'householdId',
  'streetCode',
  'districtCode',
  'members',
  'annualDisposableIncome',
  'categories',
  'assetTestPassed',
  'version',
  'updatedAt',
];
// The contract's own field lists, so what a dead letter keeps cannot drift from what the contract accepts.
const INSTITUTION_FIELDS = Object.keys(InstitutionSchema.shape);
const AMOUNT_FIELDS = Object.keys(AmountsSchema.shape);
const MEMBER_FIELDS = ['personIdType', 'personId'];
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** Bounds on what a dead letter copies, so one absurd input cannot make an absurd Kafka message. */
const MAX_STRING = 200;
const MAX_MEMBERS = 100;
const MAX_DROPPED = 20;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A scalar the contract may hold, with anything that could be an identity number masked. */
function scrubScalar(v: unknown): unknown {
  if (typeof v === 'string') {
    const masked = maskIdentityNumbersIn(v);
    return masked.length > MAX_STRING ? `${masked.slice(0, MAX_STRING)}…<${masked.length} chars>` : masked;
  }
  // A number with 15 or more digits in a row may be a first-generation identity number sent as JSON.
  if (typeof v === 'number') return /\d{15,}/.test(String(v)) ? '<number masked>' : v;
  if (typeof v === 'boolean' || v === null) return v;
  // A nested object or array where the contract wants a scalar: keep only its type.
  return `<${jsonType(v)}>`;
}

function scrubObject(
  v: unknown,
  fields: readonly string[],
  scrub: (key: string, value: unknown) => unknown = (_k, x) => scrubScalar(x),
): unknown {
  if (!isRecord(v)) return scrubScalar(v);
  const out: Record<string, unknown> = {};
  for (const key of fields) if (Object.hasOwn(v, key)) out[key] = scrub(key, v[key]);
  return out;
}

/**
 * A person's identifier as it may appear in a dead letter: the pseudonym when it is a valid identifier of
 * its type (so an operator can still follow the person), otherwise masked: an invalid number is a typo of
 * a real one, and must not be kept.
 */
function personRef(personId: unknown, personIdType: unknown, pseudonymise: Pseudonymise): string {
  if (typeof personId !== 'string') return maskPersonId(personId);
  if (personIdType === undefined) {
    return residentIdProblem(personId) === null ? pseudonymise(personId, 'resident') : maskPersonId(personId);
  }
  if ((personIdType === 'passport' || personIdType === 'other') && SAFE_ID.test(personId)) {
    return pseudonymise(personId, personIdType as PersonIdType);
  }
  return maskPersonId(personId);
}

function droppedFields(v: Record<string, unknown>, fields: readonly string[]): string[] {
  return Object.keys(v)
    .filter((k) => !fields.includes(k))
    .slice(0, MAX_DROPPED)
    .map((k) => String(scrubScalar(k)));
}

function sanitiseClaim(v: Record<string, unknown>, p: Pseudonymise): Record<string, unknown> {
  return scrubObject(v, CLAIM_FIELDS, (key, value) => {
    switch (key) {
      case 'personId':
        return personRef(value, v.personIdType, p);
      case 'institution':
        return scrubObject(value, INSTITUTION_FIELDS);
      case 'amounts':
        return scrubObject(value, AMOUNT_FIELDS);
      default:
        return scrubScalar(value);
    }
  }) as Record<string, unknown>;
}

function sanitiseHousehold(v: Record<string, unknown>, p: Pseudonymise): Record<string, unknown> {
  return scrubObject(v, HOUSEHOLD_FIELDS, (key, value) => {
    if (key === 'members') {
      if (!Array.isArray(value)) return scrubScalar(value);
      return value
        .slice(0, MAX_MEMBERS)
        .map((m) =>
          scrubObject(m, MEMBER_FIELDS, (k, x) =>
            k === 'personId' ? personRef(x, isRecord(m) ? m.personIdType : undefined, p) : scrubScalar(x),
          ),
        );
    }
    if (key === 'categories') return Array.isArray(value) ? value.slice(0, 20).map(scrubScalar) : scrubScalar(value);
    return scrubScalar(value);
  }) as Record<string, unknown>;
}

/** The dead letter of one refused input, its identity numbers pseudonymised (valid) or masked (invalid). */
export function deadLetter(
  kind: Kind,
  refused: RefusedInput,
  rejections: readonly Rejection[],
  origin: Origin,
  pseudonymise: Pseudonymise,
): DeadLetter {
  return buildDeadLetter(kind, refused, rejections, origin, (record) => ({
    input: kind === 'claim' ? sanitiseClaim(record, pseudonymise) : sanitiseHousehold(record, pseudonymise),
    droppedFields: droppedFields(record, kind === 'claim' ? CLAIM_FIELDS : HOUSEHOLD_FIELDS),
  }));
}
