// Parking of records that keep failing: the topic, the parked message and which errors a restart can cure.
// A parked message is the original message unchanged (same key, same value, same headers) plus `parked.*`
// headers that say why and where from, so that the replay (cli/replay-parked.ts) can put it back on its
// original topic once the cause is fixed; every effect is idempotent, so a replayed record counts once.
import type { IHeaders, ITopicConfig, KafkaMessage, Message } from 'kafkajs';
import { maskIdentityNumbersIn, type ParkCode } from '@warnline/contracts';
import type { Origin } from './dead-letters.ts';

/** The parked topic's name under a topic namespace ("" in production). */
export const parkedTopicName = (namespace: string) => `${namespace}accumulator.parked.v1`;

/** One partition, kept like the dead-letter topics (delete policy, the broker's retention). */
export const parkedTopicSpec = (namespace: string): ITopicConfig => ({
  topic: parkedTopicName(namespace),
  numPartitions: 1,
  replicationFactor: -1,
});

/** Stable codes of parked records: PARK_ERRORS of packages/contracts. */
export type { ParkCode };

/** Headers the parking adds; the replay removes them again. */
export const PARKED_HEADER_PREFIX = 'parked.';

const MAX_ERROR_CHARS = 1000;

/**
 * Whether a restart (or waiting) can cure the error: Redis or Kafka unavailable, busy or read-only. Such
 * errors stall the batch (kafkajs retries it from the last commit) and never park anything.
 */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if ((err as { retriable?: unknown }).retriable === true) return true;
  // kafkajs: the broker is down, a leader moved, a request timed out, retries ran out.
  if (err.name.startsWith('KafkaJS')) return true;
  // ioredis: the connection is gone, or a command gave up waiting for it.
  if (err.name === 'MaxRetriesPerRequestError' || err.message === 'Connection is closed.') return true;
  // ioredis Cluster: a failover outlasted the redirections, or no node answered.
  if (err.name === 'ClusterAllFailedError' || err.message.startsWith('Too many Cluster redirections')) return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)/.test(code))
    return true;
  // Redis answered, but with a state that passes: loading, busy script, replica, cluster changing, out of memory.
  if (err.name === 'ReplyError')
    return /^(LOADING|BUSY|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|NOREPLICAS|OOM|MOVED|ASK)\b/.test(err.message);
  return false;
}

export function parkCode(err: unknown): ParkCode {
  return err instanceof Error && err.name === 'ReplyError' ? 'REDIS_COMMAND_REFUSED' : 'PROCESSING_FAILED';
}

/** The error's text for the parked headers and the log: bounded, identity numbers masked. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return maskIdentityNumbersIn(text).slice(0, MAX_ERROR_CHARS);
}

export function parkedMessage(
  message: KafkaMessage,
  origin: Origin,
  err: unknown,
  attempts: number,
  parkedAt: Date,
): Message {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!name.startsWith(PARKED_HEADER_PREFIX) && value !== undefined) headers[name] = value;
  }
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...headers,
      'parked.code': parkCode(err),
      'parked.error': errorText(err),
      'parked.topic': origin.topic,
      'parked.partition': String(origin.partition),
      'parked.offset': message.offset,
      'parked.attempts': String(attempts),
      'parked.at': parkedAt.toISOString(),
    },
  };
}
