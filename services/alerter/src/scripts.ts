// Lua scripts, registered once per connection and called through typed wrappers, so a caller cannot get the
// key order or the reply shape wrong.
// The status codes of every script's "Returns" header are mapped here and nowhere else.
import { readFileSync } from 'node:fs';
import type { Redis, Result } from 'ioredis';
import { serviceError, type CodedError } from '@warnline/contracts';

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

/** Statuses of ingest-job-9.lua. */
export const INGEST_JOB = { duplicate: 0, stale: -1, opened: 1, levelRaised: 2, reRaised: 3 } as const;

/** Statuses of transition-12.lua. */
export const TRANSITION = { notFound: -2, wrongState: -1, done: 1 } as const;

/** Statuses of breach-4.lua. */
export const BREACH = { notFound: -2, inTime: 0, overdue: 1 } as const;

/** The error of a status a script's caller does not know: the script and this file are out of step. */
export function scriptStatusError(script: string, status: unknown): CodedError {
  return serviceError('SCRIPT_STATUS_UNKNOWN', { message: `${script} returned an unknown status ${String(status)}` });
}

export type IngestResult =
  | { kind: 'duplicate'; alertId: string }
  | { kind: 'stale' }
  | { kind: 'opened' | 'level-raised' | 're-raised'; alertId: string; event: string };

export function ingestResult(reply: Reply): IngestResult {
  const [code, alertId, event] = reply;
  switch (Number(code)) {
    case INGEST_JOB.duplicate:
      return { kind: 'duplicate', alertId: String(alertId) };
    case INGEST_JOB.stale:
      return { kind: 'stale' };
    case INGEST_JOB.opened:
      return { kind: 'opened', alertId: String(alertId), event: String(event) };
    case INGEST_JOB.levelRaised:
      return { kind: 'level-raised', alertId: String(alertId), event: String(event) };
    case INGEST_JOB.reRaised:
      return { kind: 're-raised', alertId: String(alertId), event: String(event) };
    default:
      throw scriptStatusError('ingest-job-9', code);
  }
}

export type TransitionResult =
  { kind: 'not-found' } | { kind: 'wrong-state'; state: string } | { kind: 'done'; event: string; openedAtMs: number };

export function transitionResult(reply: Reply): TransitionResult {
  const [code, a, b] = reply;
  switch (Number(code)) {
    case TRANSITION.notFound:
      return { kind: 'not-found' };
    case TRANSITION.wrongState:
      return { kind: 'wrong-state', state: String(a) };
    case TRANSITION.done:
      return { kind: 'done', event: String(a), openedAtMs: Number(b) };
    default:
      throw scriptStatusError('transition-12', code);
  }
}

export type BreachResult = { kind: 'not-found' } | { kind: 'in-time' } | { kind: 'overdue'; event: string };

export function breachResult(reply: Reply): BreachResult {
  const [code, event] = reply;
  switch (Number(code)) {
    case BREACH.notFound:
      return { kind: 'not-found' };
    case BREACH.inTime:
      return { kind: 'in-time' };
    case BREACH.overdue:
      return { kind: 'overdue', event: String(event) };
    default:
      throw scriptStatusError('breach-4', code);
  }
}
