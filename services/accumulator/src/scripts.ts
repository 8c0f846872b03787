// Lua scripts, loaded once per connection and called through typed wrappers (conventions.md, habit 5).
import { readFileSync } from 'node:fs';
import type { ChainableCommander, Redis, Result } from 'ioredis';

const source = (name: string) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

export const APPLY_RESULT = { applied: 1, duplicate: 0, conflict: -1 } as const;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    applyClaim(seenKey: string, monthsKey: string, claimId: string, fingerprint: string, bucket: string, burdenFen: number, selfPayFen: number): Result<number, Context>;
    putHousehold(recordKey: string, version: number, json: string): Result<string | null, Context>;
  }
}

export function registerScripts(redis: Redis): void {
  redis.defineCommand('applyClaim', { numberOfKeys: 2, lua: source('apply-claim-2') });
  redis.defineCommand('putHousehold', { numberOfKeys: 1, lua: source('put-household-1') });
}

export type Pipeline = ChainableCommander;
