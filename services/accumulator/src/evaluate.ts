// Reads a household's state from Redis and decides its level.
import { addMonths, fenToYuan, monthOf, type HouseholdEvent, type Level } from '@warnline/contracts';
import type { Redis } from 'ioredis';
import { getHousehold } from './household-store.ts';
import type { Keys } from './keys.ts';

export interface HouseholdState {
  householdId: string;
  /** null for a person without a registry record (a household of one, keyed by the person). */
  household: HouseholdEvent | null;
  members: string[];
  /** Per member: bucket field → integer fen. */
  months: Map<string, Record<string, string>>;
}

export async function householdOf(redis: Redis, keys: Keys, person: string): Promise<string | null> {
  return redis.get(keys.personHousehold(person));
}

export async function loadHouseholdState(redis: Redis, keys: Keys, householdId: string | null, person?: string): Promise<HouseholdState> {
  const household = householdId ? await getHousehold(redis, keys, householdId) : null;
  const members = household ? household.members.map((m) => m.personId) : person ? [person] : [];
  const pipeline = redis.pipeline();
  for (const m of members) pipeline.hgetall(keys.personMonths(m));
  const replies = (await pipeline.exec()) ?? [];
  const months = new Map<string, Record<string, string>>();
  members.forEach((m, i) => months.set(m, (replies[i]?.[1] as Record<string, string> | undefined) ?? {}));
  return { householdId: household?.householdId ?? person ?? '', household, members, months };
}

export interface Decision {
  householdId: string;
  level: Level;
  window: { from: string; to: string };
  burden12m: string;
  income: string | null;
}

/**
 * Walking-skeleton decision: the 12-month personal burden, and `watch` as soon as there is any.
 * packages/rules (issue 3) replaces this with the policy's tests.
 */
export function decide(state: HouseholdState, asOf: string): Decision {
  const to = monthOf(asOf);
  const from = addMonths(to, -11);
  let burdenFen = 0;
  for (const buckets of state.months.values()) {
    for (const [field, value] of Object.entries(buckets)) {
      const month = field.slice(0, 7);
      if (field.endsWith(':b') && month >= from && month <= to) burdenFen += Number(value);
    }
  }
  return {
    householdId: state.householdId,
    level: burdenFen > 0 ? 'watch' : 'none',
    window: { from, to },
    burden12m: fenToYuan(burdenFen),
    income: state.household?.annualDisposableIncome ?? null,
  };
}
