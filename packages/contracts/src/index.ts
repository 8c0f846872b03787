export * from './money.ts';
export * from './dates.ts';
export * from './resident-id.ts';
export * from './errors.ts';
export * from './claim.ts';
export * from './household.ts';
export * from './topics.ts';
export * from './alert.ts';
export * from './alert-lifecycle.ts';
export * from './coded-errors.ts';
export * from './dead-letter.ts';
export * from './claim-record.ts';

import { RawClaimSchema, type RawClaim } from './claim.ts';
import { RawHouseholdSchema, type RawHousehold } from './household.ts';
/** The claim of docs/contracts.md as received (alias of RawClaimSchema). */
export const ClaimSchema = RawClaimSchema;
export type Claim = RawClaim;
/** The household of docs/contracts.md as received (alias of RawHouseholdSchema). */
export const HouseholdSchema = RawHouseholdSchema;
export type Household = RawHousehold;
export * from './nhsa/index.ts';
