// Keyed pseudonyms for identity numbers (docs/contracts.md, Conventions): the same person gets the same
// pseudonym in claims and registry records, and without the key nobody can go back to the number or test a
// guess. HMAC-SHA256 truncated to 128 bits: collisions stay negligible for a country's population.
import { createHmac } from 'node:crypto';
import { normaliseResidentId } from '@warnline/contracts';

export type PersonIdType = 'resident' | 'passport' | 'other';
export type Pseudonymise = (personId: string, type?: PersonIdType) => string;

/** The one spelling of an identity number: resident numbers normalised (upper-case X), others as sent. */
export function canonicalPersonId(personId: string, type: PersonIdType): string {
  return type === 'resident' ? normaliseResidentId(personId) : personId;
}

export function createPseudonymiser(key: string): Pseudonymise {
  return (personId, type = 'resident') => {
    // The type is part of the input so a passport number can never collide with a resident number.
    const canonical = canonicalPersonId(personId, type);
    const mac = createHmac('sha256', key).update(`${type}\u0000${canonical}`).digest('hex');
    return `p_${mac.slice(0, 32)}`;
  };
}
