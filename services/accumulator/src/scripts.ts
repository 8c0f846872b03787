// Lua scripts, loaded once per connection and called through typed wrappers, so a caller cannot get the
// key order or the reply shape wrong. The status codes of the scripts are mapped here, once.
import { readFileSync } from 'node:fs';
import type { Redis, Result } from 'ioredis';
import { serviceError } from '@warnline/contracts';

const source = (name: string) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

/** Per-claim codes of apply-claims-2.lua. */
export const APPLY = {
  applied: 1,
  recorded: 2,
  duplicate: 0,
  conflict: -1,
  tooOld: -2,
  reversalOfReversal: -3,
  reversalAlreadyApplied: -4,
} as const;
export type ApplyCode = (typeof APPLY)[keyof typeof APPLY];

/** Verdicts of record-decision-2.lua. */
export const RECORD = { stale: 0, unchanged: 1, publish: 2 } as const;

/** Results of put-household-1.lua. */
export const PUT = { stale: 0, stored: 1, same: 2 } as const;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** ARGV: floor, then one argument per claim (see apply-claims-2.lua). */
    applyClaims(person: string, claims: string, ...argv: string[]): Result<[string | null, ...number[]], Context>;
    putHousehold(household: string, version: number, json: string, members: string): Result<[number, string?], Context>;
    linkMember(person: string, soloStatus: string, householdId: string): Result<[string | null, number], Context>;
    unlinkMember(person: string, householdId: string): Result<number, Context>;
    beginEvaluation(status: string): Result<[number, string | null], Context>;
    recordDecision(
      status: string,
      personOrStatus: string,
      seq: number,
      digest: string,
      level: string,
      force: '0' | '1',
      solo: '0' | '1',
    ): Result<[number, string?, string?], Context>;
    confirmPublished(status: string, seq: number): Result<number, Context>;
    prunePerson(person: string, claims: string, floor: string): Result<[string | null, number], Context>;
    deferTargets(flag: string, targets: string, ...members: string[]): Result<number, Context>;
  }
}

export function registerScripts(redis: Redis): void {
  redis.defineCommand('applyClaims', { numberOfKeys: 2, lua: source('apply-claims-2') });
  redis.defineCommand('putHousehold', { numberOfKeys: 1, lua: source('put-household-1') });
  redis.defineCommand('linkMember', { numberOfKeys: 2, lua: source('link-member-2') });
  redis.defineCommand('unlinkMember', { numberOfKeys: 1, lua: source('unlink-member-1') });
  redis.defineCommand('beginEvaluation', { numberOfKeys: 1, lua: source('begin-evaluation-1') });
  redis.defineCommand('recordDecision', { numberOfKeys: 2, lua: source('record-decision-2') });
  redis.defineCommand('confirmPublished', { numberOfKeys: 1, lua: source('confirm-published-1') });
  redis.defineCommand('prunePerson', { numberOfKeys: 2, lua: source('prune-person-2') });
  redis.defineCommand('deferTargets', { numberOfKeys: 2, lua: source('defer-targets-2') });
}

/** Unwraps one reply of a pipeline: a command error becomes an exception (the batch is retried, never skipped). */
export function reply<T>(entry: [Error | null, unknown] | undefined): T {
  if (!entry) throw serviceError('PIPELINE_REPLY_MISSING');
  if (entry[0]) throw entry[0];
  return entry[1] as T;
}
