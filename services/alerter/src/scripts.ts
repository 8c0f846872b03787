// Lua scripts, registered once per connection and called through typed wrappers, so a caller cannot get the
// key order or the reply shape wrong.
// The status codes of every script's "Returns" header are mapped here and nowhere else.
import { readFileSync } from 'node:fs';
import type { Redis, Result } from 'ioredis';

const source = (name: string) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

type Reply = (string | number)[];

declare module 'ioredis' {
  interface RedisCommander<Context> {
    alerterIngestJob(...keysAndArgs: string[]): Result<Reply, Context>;
    alerterTransition(...keysAndArgs: string[]): Result<Reply, Context>;
    alerterBreach(...keysAndArgs: string[]): Result<Reply, Context>;
  }
}

export function registerScripts(redis: Redis): void {
  redis.defineCommand('alerterIngestJob', { numberOfKeys: 9, lua: source('ingest-job-9') });
  redis.defineCommand('alerterTransition', { numberOfKeys: 12, lua: source('transition-12') });
  redis.defineCommand('alerterBreach', { numberOfKeys: 4, lua: source('breach-4') });
}

export type IngestResult =
  | { kind: 'duplicate'; alertId: string }
  | { kind: 'stale' }
  | { kind: 'opened' | 'level-raised' | 're-raised'; alertId: string; event: string };

export function ingestResult(reply: Reply): IngestResult {
  const [code, alertId, event] = reply;
  switch (Number(code)) {
    case 0:
      return { kind: 'duplicate', alertId: String(alertId) };
    case -1:
      return { kind: 'stale' };
    case 1:
      return { kind: 'opened', alertId: String(alertId), event: String(event) };
    case 2:
      return { kind: 'level-raised', alertId: String(alertId), event: String(event) };
    case 3:
      return { kind: 're-raised', alertId: String(alertId), event: String(event) };
    default:
      throw new Error(`ingest-job returned an unknown code ${String(code)}`);
  }
}

export type TransitionResult =
  { kind: 'not-found' } | { kind: 'wrong-state'; state: string } | { kind: 'done'; event: string; openedAtMs: number };

export function transitionResult(reply: Reply): TransitionResult {
  const [code, a, b] = reply;
  switch (Number(code)) {
    case -2:
      return { kind: 'not-found' };
    case -1:
      return { kind: 'wrong-state', state: String(a) };
    case 1:
      return { kind: 'done', event: String(a), openedAtMs: Number(b) };
    default:
      throw new Error(`transition returned an unknown code ${String(code)}`);
  }
}

export type BreachResult = { kind: 'not-found' } | { kind: 'in-time' } | { kind: 'overdue'; event: string };

export function breachResult(reply: Reply): BreachResult {
  const [code, event] = reply;
  switch (Number(code)) {
    case -2:
      return { kind: 'not-found' };
    case 0:
      return { kind: 'in-time' };
    case 1:
      return { kind: 'overdue', event: String(event) };
    default:
      throw new Error(`breach returned an unknown code ${String(code)}`);
  }
}
