// Registry records from households.v1: stored with their version (a lower version never overwrites a higher
// one), and every member pointed at the household (a leaver unpointed, unless they joined another already).
import { HouseholdEventSchema, type HouseholdEvent, type Rejection } from '@warnline/contracts';
import { decodeMessage } from '@warnline/runtime';
import type { Redis } from 'ioredis';
import type { Keys } from './keys.ts';
import { PUT, reply } from './scripts.ts';
import type { Target } from './evaluator.ts';

/** Field of the person hash: the district of the registry household that listed the person last. */
export const REGISTRY_DISTRICT_FIELD = 'd';

export type DecodedHousehold =
  { ok: true; household: HouseholdEvent } | { ok: false; rejections: Rejection[]; input: unknown };

export function decodeHousehold(value: Buffer | null): DecodedHousehold {
  const decoded = decodeMessage(value, HouseholdEventSchema);
  return decoded.ok ? { ok: true, household: decoded.value } : decoded;
}

/**
 * Stores the records (in order: two versions of one household in a batch end with the higher), links their
 * members, and returns what must be evaluated: each stored household, the households its new members left,
 * and the households of one that end (a person joined) or begin (a person left and joined nobody).
 */
export async function putHouseholds(
  redis: Redis,
  keys: Keys,
  households: readonly HouseholdEvent[],
): Promise<Target[]> {
  if (households.length === 0) return [];
  const put = redis.pipeline();
  for (const h of households) {
    put.putHousehold(
      keys.household(h.householdId),
      h.version,
      JSON.stringify(h),
      JSON.stringify(h.members.map((m) => m.personId)),
    );
  }
  const putReplies = (await put.exec()) ?? [];
  // Links and unlinks are queued household by household, interleaved; each queued call pushes the handler of
  // its own reply, so replies are read in exactly the order the calls were queued.
  const links = redis.pipeline();
  const onReply: ((entry: [Error | null, unknown] | undefined) => void)[] = [];
  const targets = new Map<string, Target>();
  households.forEach((h, i) => {
    const [status, prevJson] = reply<[number, string?]>(putReplies[i]);
    if (status === PUT.stale) return;
    const now = new Set(h.members.map((m) => m.personId));
    for (const person of now) {
      links.linkMember(keys.person(person), keys.soloStatus(person), h.householdId);
      onReply.push((entry) => {
        const [before, soloStatus] = reply<[string | null, number]>(entry);
        // The household the person left, and their household of one, which ends (a tombstone if it had a
        // status).
        if (before && before !== h.householdId) targets.set(`h:${before}`, { kind: 'household', id: before });
        if (soloStatus === 1) targets.set(`s:${person}`, { kind: 'solo', person });
      });
      // Kept after the person leaves: should they become a household of one, this is where civil affairs
      // last knew them, the district whose triage desk gets their alert when no claim names one.
      links.hset(keys.person(person), REGISTRY_DISTRICT_FIELD, h.districtCode);
      onReply.push((entry) => reply<number>(entry));
    }
    for (const person of JSON.parse(prevJson ?? '[]') as string[]) {
      if (now.has(person)) continue;
      links.unlinkMember(keys.person(person), h.householdId);
      onReply.push((entry) => {
        if (reply<number>(entry) === 2) targets.set(`s:${person}`, { kind: 'solo', person });
      });
    }
    targets.set(`h:${h.householdId}`, { kind: 'household', id: h.householdId });
  });
  const linkReplies = (await links.exec()) ?? [];
  onReply.forEach((handle, k) => handle(linkReplies[k]));
  return [...targets.values()];
}
