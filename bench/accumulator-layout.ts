// Where the accumulator keeps a person's state (services/accumulator/README.md, "State in Redis"), taken
// from its own keys.ts so the bench reads exactly the keys the service writes.
import { createKeys } from '../services/accumulator/src/keys.ts';
import { accumulatorMonths, type MemoryLayout, type MonthReader } from './redis-state.ts';

export interface AccumulatorLayout extends MemoryLayout {
  personKey(p: string): string;
  householdKey(householdId: string): string;
  readMonths: MonthReader;
}

export function accumulatorLayout(prefix: string): AccumulatorLayout {
  const keys = createKeys(prefix);
  return {
    personKey: (p) => keys.person(p),
    householdKey: (h) => keys.household(h),
    readMonths: accumulatorMonths,
    personKeys: (p) => [keys.person(p)],
    dedupKey: (p) => keys.personClaims(p),
    // The active-person index grows by one entry per active person: its size is part of a person's cost.
    sharedKeys: keys.activeShards(),
  };
}
