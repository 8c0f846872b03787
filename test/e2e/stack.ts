// The three services of an end-to-end test as separate processes on one topic namespace and one pair of
// Redis prefixes: the settings they share, and starting them on free ports.
import type { Redis } from 'ioredis';
import { expect, inject } from 'vitest';
import { freePort } from '@warnline/infra';
import { deleteKeysUnder, startService, uniqueId, uniqueNamespace, type RunningService } from '@warnline/test';

/** Pseudonymisation key of the end-to-end tests: a test that must compute a pseudonym itself uses it too. */
export const E2E_PSEUDONYM_KEY = 'test-key-0123456789abcdef0123456789abcdef';

/** The names one stack works under, unique per test, and its ingest tokens. */
export interface StackNames {
  namespace: string;
  queuePrefix: string;
  redisPrefix: string;
  group: string;
  hospitalToken: string;
  registryToken: string;
}

export function stackNames(): StackNames {
  return {
    namespace: uniqueNamespace(),
    queuePrefix: uniqueId('wlq'),
    redisPrefix: uniqueId('wlt'),
    group: uniqueId('g'),
    hospitalToken: uniqueId('hospital-token-0123456789'),
    registryToken: uniqueId('registry-token-0123456789'),
  };
}

export interface StackSettings extends StackNames {
  /** 3 unless given. */
  partitions?: number;
  /** Prefix of the token names ("<label>-hospital", "<label>-registry") that history and logs show; "e2e" unless given. */
  label?: string;
  /** ALERTER_TOKENS entries, when the test calls the caseworker API. */
  alerterTokens?: readonly Record<string, string>[];
  streets: string;
  /** info unless given. */
  logLevel?: 'info' | 'warn';
  institutionLevels?: Record<string, number>;
}

/** The environment every service of the stack starts with (each adds its own port). */
export function stackEnv({
  partitions = 3,
  label = 'e2e',
  logLevel = 'info',
  ...s
}: StackSettings): Record<string, string> {
  return {
    KAFKA_BROKERS: inject('kafkaBrokers').join(','),
    REDIS_URL: inject('redisUrl'),
    TOPIC_NAMESPACE: s.namespace,
    TOPIC_PARTITIONS: String(partitions),
    QUEUE_PREFIX: s.queuePrefix,
    REDIS_PREFIX: s.redisPrefix,
    CONSUMER_GROUP: s.group,
    PSEUDONYM_KEY: E2E_PSEUDONYM_KEY,
    INGEST_TOKENS: JSON.stringify([
      { name: `${label}-hospital`, token: s.hospitalToken, role: 'hospital', institutions: ['H31011000012'] },
      { name: `${label}-registry`, token: s.registryToken, role: 'registry' },
    ]),
    ...(s.institutionLevels ? { INGEST_INSTITUTION_LEVELS: JSON.stringify(s.institutionLevels) } : {}),
    ...(s.alerterTokens ? { ALERTER_TOKENS: JSON.stringify(s.alerterTokens) } : {}),
    ALERTER_STREETS: s.streets,
    LOG_LEVEL: logLevel,
  };
}

export interface Stack {
  ingest: RunningService;
  accumulator: RunningService;
  alerter: RunningService;
}

/**
 * Starts ingest, the accumulator and the alerter, one after the other, each on a free port. If one does not
 * come up, those already running are stopped before the error is thrown, so no process outlives the test.
 */
export async function startStack(env: Record<string, string>): Promise<Stack> {
  const [ingestPort, accPort, alerterPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const started: RunningService[] = [];
  try {
    const ingest = await startService('ingest', { ...env, INGEST_PORT: String(ingestPort) }, ingestPort);
    started.push(ingest);
    const accumulator = await startService('accumulator', { ...env, ACCUMULATOR_PORT: String(accPort) }, accPort);
    started.push(accumulator);
    const alerter = await startService('alerter', { ...env, ALERTER_PORT: String(alerterPort) }, alerterPort);
    return { ingest, accumulator, alerter };
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    throw err;
  }
}

/**
 * Stops the services with SIGTERM — a clean exit (code 0) is part of every service's contract, so it is
 * asserted — then deletes the keys the stack wrote and closes the test's Redis client.
 */
export async function stopStack(services: readonly RunningService[], redis: Redis, names: StackNames): Promise<void> {
  const codes = await Promise.all(services.map((s) => s.stop()));
  expect(codes).toEqual(services.map(() => 0));
  await deleteKeysUnder(redis, [names.redisPrefix, names.queuePrefix]);
  await redis.quit();
}

/** POSTs a JSON body to ingest with a bearer token, expects 202 Accepted and returns ingest's answer. */
export async function postAccepted(
  ingest: RunningService,
  path: string,
  token: string,
  body: unknown,
): Promise<unknown> {
  const res = await fetch(`${ingest.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return res.json();
}
