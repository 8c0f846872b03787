// Household records from households.v1 and the person → household index.
import { HouseholdEventSchema, type HouseholdEvent } from '@warnline/contracts';
import type { Redis } from 'ioredis';
import type { Keys } from './keys.ts';

export type DecodedHousehold = { ok: true; household: HouseholdEvent } | { ok: false; reason: string; detail: string };

export function decodeHousehold(value: Buffer | null): DecodedHousehold {
  if (!value) return { ok: false, reason: 'UNPARSEABLE_MESSAGE', detail: 'empty message' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'UNPARSEABLE_MESSAGE', detail: 'not JSON' };
  }
  const parsed = HouseholdEventSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: 'INVALID_HOUSEHOLD', detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  }
  return { ok: true, household: parsed.data };
}

/**
 * Stores the record if its version is newer, then points each member at the household and unpoints
 * members who left. Returns false for a stale or repeated version (nothing to re-evaluate).
 */
export async function putHousehold(redis: Redis, keys: Keys, household: HouseholdEvent): Promise<boolean> {
  const previous = await redis.putHousehold(keys.household(household.householdId), household.version, JSON.stringify(household));
  if (previous === null) return false;
  const before = previous ? (JSON.parse(previous) as HouseholdEvent).members.map((m) => m.personId) : [];
  const now = new Set(household.members.map((m) => m.personId));
  const pipeline = redis.pipeline();
  for (const person of now) pipeline.set(keys.personHousehold(person), household.householdId);
  for (const person of before) {
    // Only unpoint a leaver still pointing here: they may already have joined another household.
    if (!now.has(person)) pipeline.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, keys.personHousehold(person), household.householdId);
  }
  await pipeline.exec();
  return true;
}

export async function getHousehold(redis: Redis, keys: Keys, householdId: string): Promise<HouseholdEvent | null> {
  const json = await redis.get(keys.household(householdId));
  return json ? (JSON.parse(json) as HouseholdEvent) : null;
}
