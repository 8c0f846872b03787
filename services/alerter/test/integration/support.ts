// Shared pieces of the alerter's integration tests: the alerter as a process, the accumulator's own alert
// publisher to add jobs, an HTTP client, an audit-topic reader and cleanup of the test's own keys.
// Everything runs on the real Redis, BullMQ and Kafka.
import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { freePort } from '@warnline/infra';
import { AlertPublisher } from '@warnline/accumulator/alerts';
import {
  AlertAuditEventSchema,
  alertJobId,
  type AlertAuditEvent,
  type AlertJobData,
  type AlertLinkJobData,
} from '@warnline/contracts';
import { QueueSet } from '@warnline/runtime';
import { createPseudonymiser } from '../../../ingest/src/pseudonym.ts';
import {
  alertJobData,
  claim,
  uniqueId,
  uniqueNamespace,
  startService,
  type RunningService,
  waitFor,
  deleteKeysUnder,
} from '@warnline/test';

export const STREET_A = '310113103';
export const STREET_B = '310113104';
export const STREET_C = '310115001';

/** One token per scope the access matrix needs; names are what history and audit show. */
export const TOKENS = {
  streetA: { name: 'st-a', token: `street-a-${uniqueId('k')}`, role: 'street', street: STREET_A },
  streetB: { name: 'st-b', token: `street-b-${uniqueId('k')}`, role: 'street', street: STREET_B },
  district: { name: 'qu-310113', token: `district-${uniqueId('k')}`, role: 'district', district: '310113' },
  otherDistrict: { name: 'qu-310115', token: `district-o-${uniqueId('k')}`, role: 'district', district: '310115' },
  city: { name: 'shi-31', token: `city-${uniqueId('k')}`, role: 'city' },
  admin: { name: 'ops', token: `admin-${uniqueId('k')}`, role: 'admin' },
} as const;

export interface TestEnv {
  redisUrl: string;
  kafkaBrokers: string[];
  queuePrefix: string;
  redisPrefix: string;
  namespace: string;
}

export function testEnv(redisUrl: string, kafkaBrokers: string[]): TestEnv {
  return {
    redisUrl,
    kafkaBrokers,
    queuePrefix: uniqueId('wlq'),
    redisPrefix: uniqueId('wla'),
    namespace: uniqueNamespace(),
  };
}

export async function startAlerter(env: TestEnv, extra: Record<string, string> = {}): Promise<RunningService> {
  const port = await freePort();
  return startService(
    'alerter',
    {
      REDIS_URL: env.redisUrl,
      KAFKA_BROKERS: env.kafkaBrokers.join(','),
      TOPIC_NAMESPACE: env.namespace,
      QUEUE_PREFIX: env.queuePrefix,
      REDIS_PREFIX: env.redisPrefix,
      ALERTER_PORT: String(port),
      ALERTER_TOKENS: JSON.stringify(Object.values(TOKENS)),
      ALERTER_STREETS: [STREET_A, STREET_B, STREET_C].join(','),
      ALERTER_OUTBOX_INTERVAL_MS: '500',
      LOG_LEVEL: 'info',
      ...extra,
    },
    port,
  );
}

/** Pseudonym key of the ingest a reveal test runs: the test computes the pseudonyms it expects with it. */
export const REVEAL_PSEUDONYM_KEY = 'reveal-pseudonym-key-0123456789abcdef0123';
export const pseudonymOf = createPseudonymiser(REVEAL_PSEUDONYM_KEY);
/** Two identity keys: `k1` sealed the records of a rotation test before `k2` took over. */
export const IDENTITY_KEYS = {
  k1: Buffer.alloc(32, 7).toString('base64'),
  k2: Buffer.alloc(32, 9).toString('base64'),
};

/** Ingest as the identity service of the reveal: identity keys, a Redis prefix of its own, the alerter's token. */
export interface IdentityIngest {
  service: RunningService;
  /** IDENTITY_PREFIX: the identity records are `<prefix>:identity:<pseudonym>`. */
  identityPrefix: string;
  internalToken: string;
  /** Sends one claim per identity number (which keeps the identities); their pseudonyms. */
  keep(personIds: readonly string[]): Promise<string[]>;
}

export async function startIdentityIngest(
  env: TestEnv,
  options: { identityPrefix?: string; keyId?: 'k1' | 'k2'; extra?: Record<string, string> } = {},
): Promise<IdentityIngest> {
  const port = await freePort();
  const identityPrefix = options.identityPrefix ?? uniqueId('wli');
  const hospitalToken = uniqueId('hospital-secret-0123456789-');
  const internalToken = uniqueId('internal-secret-0123456789-');
  const service = await startService(
    'ingest',
    {
      KAFKA_BROKERS: env.kafkaBrokers.join(','),
      TOPIC_NAMESPACE: env.namespace,
      TOPIC_PARTITIONS: '1',
      PSEUDONYM_KEY: REVEAL_PSEUDONYM_KEY,
      INGEST_PORT: String(port),
      INGEST_KAFKA_INPUT: 'false',
      INGEST_TOKENS: JSON.stringify([
        { name: 'ruijin', token: hospitalToken, role: 'hospital', institutions: ['H31011000012'] },
      ]),
      INTERNAL_TOKENS: JSON.stringify([{ name: 'alerter', token: internalToken }]),
      IDENTITY_KEYS: `k1:${IDENTITY_KEYS.k1},k2:${IDENTITY_KEYS.k2}`,
      IDENTITY_KEY_ID: options.keyId ?? 'k2',
      IDENTITY_REDIS_URL: env.redisUrl,
      IDENTITY_PREFIX: identityPrefix,
      LOG_LEVEL: 'info',
      ...options.extra,
    },
    port,
  );
  return {
    service,
    identityPrefix,
    internalToken,
    async keep(personIds) {
      const res = await fetch(`${service.url}/v1/claims`, {
        method: 'POST',
        headers: { authorization: `Bearer ${hospitalToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(personIds.map((personId) => claim({ personId }))),
      });
      const answer = (await res.json()) as { accepted: number };
      expect(res.status).toBe(202);
      expect(answer.accepted).toBe(personIds.length);
      return personIds.map((id) => pseudonymOf(id));
    },
  };
}

/** An alert job for STREET_A unless the overrides name another street. */
export function alertData(overrides: Partial<AlertJobData> = {}): AlertJobData {
  return alertJobData({ streetCode: STREET_A, ...overrides });
}

/**
 * An alert job of a household of one (householdId = a pseudonym) for a district's triage queue, or the city's
 * when `districtCode` is null.
 */
export function triageData(districtCode: string | null, overrides: Partial<AlertJobData> = {}): AlertJobData {
  return alertJobData({
    streetCode: '',
    districtCode,
    householdId: `p_${randomBytes(16).toString('hex')}`,
    ...overrides,
  });
}

/** Adds alert jobs with the accumulator's AlertPublisher, and opens the queues the tests inspect. */
export class Producer {
  private readonly publisher: AlertPublisher;
  private readonly queues: QueueSet;

  constructor(connection: Redis, prefix: string) {
    this.publisher = new AlertPublisher(connection, prefix);
    this.queues = new QueueSet(connection, prefix);
  }

  queue(name: string): Queue {
    return this.queues.get(name);
  }

  /** Adds the alert and returns its job id. */
  async raise(data: AlertJobData): Promise<string> {
    await this.publisher.raise(data);
    return alertJobId(data.householdId, data.level, data.window.to);
  }

  /** Adds a link job (a person joined a registry household), as the accumulator does. */
  async link(data: AlertLinkJobData): Promise<void> {
    await this.publisher.link(data);
  }

  async close(): Promise<void> {
    await Promise.all([this.publisher.close(), this.queues.close()]);
  }
}

/** One test file's own alerter world on the shared Redis and broker. */
export interface AlerterStack {
  env: TestEnv;
  /** A connection for the test's own Redis reads (and the producer's queues). */
  redis: Redis;
  producer: Producer;
  alerter: RunningService;
  /** The audit-topic reader, when asked for. */
  audit: AuditReader | undefined;
  /** The ingest that answers reveals, when asked for. */
  ingest: IdentityIngest | undefined;
  /** Stops the reader, the alerter and the producer, deletes the test's keys; the alerter's exit code. */
  close(): Promise<number | null>;
}

/**
 * Unique names, a Redis connection, the producer, a running alerter (with `extra` settings), the audit
 * reader if asked, and the ingest that answers reveals if asked.
 */
export async function openAlerterStack(
  options: { extra?: Record<string, string>; audit?: boolean; reveal?: boolean } = {},
): Promise<AlerterStack> {
  const env = testEnv(inject('redisUrl'), inject('kafkaBrokers'));
  const redis = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
  const producer = new Producer(redis, env.queuePrefix);
  const ingest = options.reveal ? await startIdentityIngest(env) : undefined;
  const alerter = await startAlerter(env, {
    ...(ingest ? { INGEST_INTERNAL_URL: ingest.service.url, INGEST_INTERNAL_TOKEN: ingest.internalToken } : {}),
    ...options.extra,
  });
  const audit = options.audit ? new AuditReader(env) : undefined;
  await audit?.start();
  return {
    env,
    redis,
    producer,
    alerter,
    audit,
    ingest,
    async close() {
      await audit?.stop();
      const code = await alerter.stop();
      const ingestCode = await ingest?.service.stop();
      await producer.close();
      await cleanup(redis, env);
      if (ingest) await deleteKeysUnder(redis, [ingest.identityPrefix]);
      if (ingestCode !== undefined && ingestCode !== 0) return ingestCode;
      await redis.quit();
      return code;
    },
  };
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export async function call<T = Record<string, unknown>>(
  service: RunningService,
  method: 'GET' | 'POST',
  path: string,
  token?: string,
  body?: unknown,
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (metrics, bull-board HTML)
  }
  return { status: res.status, body: parsed as T };
}

/** Waits until the household has an alert in the street and returns its id. */
export async function alertIdOf(
  service: RunningService,
  street: string,
  householdId: string,
  state = 'new',
): Promise<string> {
  return waitFor(`an alert for ${householdId}`, async () => {
    const r = await call<{ alerts: { alertId: string; householdId: string }[] }>(
      service,
      'GET',
      `/v1/streets/${street}/alerts?state=${state}&limit=500`,
      TOKENS.admin.token,
    );
    return r.body.alerts?.find((a) => a.householdId === householdId)?.alertId;
  });
}

/** Reads alerts.audit.v1 of the test's namespace from the beginning. */
export class AuditReader {
  readonly events: AlertAuditEvent[] = [];
  private consumer: Consumer | undefined;

  constructor(private readonly env: TestEnv) {}

  async start(): Promise<void> {
    const kafka = new Kafka({ brokers: this.env.kafkaBrokers, clientId: 'alerter-test', logLevel: logLevel.NOTHING });
    this.consumer = kafka.consumer({ groupId: uniqueId('audit') });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: `${this.env.namespace}alerts.audit.v1`, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        this.events.push(AlertAuditEventSchema.parse(JSON.parse(message.value?.toString() ?? '')));
      },
    });
  }

  /** The distinct events of one alert (delivery is at least once), in seq order. */
  of(alertId: string): AlertAuditEvent[] {
    const byId = new Map(this.events.filter((e) => e.alertId === alertId).map((e) => [e.eventId, e]));
    return [...byId.values()].sort((a, b) => a.seq - b.seq);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/** Deletes the test's own keys (its unique prefixes) only: the Redis may be shared. */
export async function cleanup(redis: Redis, env: TestEnv): Promise<void> {
  await deleteKeysUnder(redis, [env.queuePrefix, env.redisPrefix]);
}

/** An alerter stack with its audit reader, for a whole test file or `describe`; its fields are set in `beforeAll`. */
export type AuditedAlerterStack = Omit<AlerterStack, 'audit'> & { audit: AuditReader };

/**
 * Opens an alerter stack with the audit reader before the tests and closes it after them, expecting a clean
 * exit; `afterClose` checks what must hold of the finished process (its whole output, for instance).
 */
export function auditedAlerterForFile(
  options: { extra?: Record<string, string>; afterClose?: (stack: AuditedAlerterStack) => void } = {},
): AuditedAlerterStack {
  const opened = {} as AuditedAlerterStack;
  beforeAll(async () => {
    const stack = await openAlerterStack({ extra: options.extra, audit: true });
    Object.assign(opened, stack, { audit: stack.audit! });
  });
  afterAll(async () => {
    expect(await opened.close?.()).toBe(0);
    options.afterClose?.(opened);
  });
  return opened;
}
