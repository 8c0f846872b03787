// One accumulator test world: unique topics, consumer group, Redis prefix and queue prefix on the shared
// broker and Redis; producers for claims.v1 and households.v1; readers for the Redis state, the status topic
// and the dead letters; cleanup of every key and topic it made.
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { Redis } from 'ioredis';
import { freePort } from '@warnline/infra';
import { oldestRetainedMonth, type ClaimEvent, type DeadLetter, type HouseholdEvent } from '@warnline/contracts';
import { topicNames, topicSpecs, type TopicNames } from '@warnline/runtime';
import {
  consumerLag,
  uniqueId,
  uniqueNamespace,
  createTestTopics,
  startService,
  type RunningService,
  waitFor,
  deleteKeysUnder,
} from '@warnline/test';
import { createKeys, type Keys } from '../../src/keys.ts';
import { parkedTopicName } from '../../src/parking.ts';
import type { StatusMessage } from '../../src/evaluator.ts';
import { expectedTotals, totalsOfHash, type Totals } from '../support.ts';

export const AS_OF = '2024-06-30';

export class Harness {
  readonly topics: TopicNames;
  readonly group = uniqueId('acc');
  readonly redisPrefix = uniqueId('wla');
  readonly queuePrefix = uniqueId('wlq');
  readonly kafka: Kafka;
  readonly redis: Redis;
  readonly keys: Keys;
  readonly services: RunningService[] = [];
  private producer: Producer | null = null;
  private readonly consumers: Consumer[] = [];

  /** `redisUrl`: the shared Redis unless a test brings its own (one it may break). */
  constructor(
    readonly partitions = 3,
    readonly redisUrl: string = inject('redisUrl'),
  ) {
    this.topics = topicNames(uniqueNamespace());
    this.kafka = new Kafka({ clientId: 'acc-test', brokers: inject('kafkaBrokers'), logLevel: logLevel.NOTHING });
    this.redis = new Redis(redisUrl);
    this.keys = createKeys(this.redisPrefix);
  }

  async setup(): Promise<void> {
    await createTestTopics(this.kafka, topicSpecs(this.topics, this.partitions));
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
  }

  /** The accumulator creates its parked topic at start, under the same namespace. */
  get parkedTopic(): string {
    return parkedTopicName(this.topics.claims.slice(0, -'claims.v1'.length));
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      REDIS_URL: this.redisUrl,
      TOPIC_NAMESPACE: this.topics.claims.slice(0, -'claims.v1'.length),
      TOPIC_PARTITIONS: String(this.partitions),
      CONSUMER_GROUP: this.group,
      REDIS_PREFIX: this.redisPrefix,
      QUEUE_PREFIX: this.queuePrefix,
      AS_OF,
      LOG_LEVEL: 'info',
      KAFKA_SESSION_TIMEOUT_MS: '8000',
      ...extra,
    };
  }

  async start(extra: Record<string, string> = {}): Promise<RunningService> {
    const port = await freePort();
    const service = await startService('accumulator', this.env({ ACCUMULATOR_PORT: String(port), ...extra }), port);
    this.services.push(service);
    return service;
  }

  async sendClaims(claims: readonly ClaimEvent[]): Promise<void> {
    for (let i = 0; i < claims.length; i += 500) {
      await this.producer!.send({
        topic: this.topics.claims,
        messages: claims.slice(i, i + 500).map((c) => ({ key: c.personId, value: JSON.stringify(c) })),
      });
    }
  }

  async sendRaw(topic: string, messages: { key: string; value: string | null }[]): Promise<void> {
    await this.producer!.send({ topic, messages });
  }

  async sendHouseholds(households: readonly HouseholdEvent[]): Promise<void> {
    await this.producer!.send({
      topic: this.topics.households,
      messages: households.map((h) => ({ key: h.householdId, value: JSON.stringify(h) })),
    });
  }

  /** Waits until the group has committed every message of both input topics. */
  async drained(timeoutMs = 90_000): Promise<void> {
    await waitFor(
      'consumer lag 0',
      async () => (await consumerLag(this.kafka, this.group, [this.topics.claims, this.topics.households])) === 0,
      { timeoutMs, intervalMs: 250 },
    );
  }

  async totals(person: string): Promise<Totals> {
    return totalsOfHash(await this.redis.hgetall(this.keys.person(person)));
  }

  /** Every person's Redis totals equal the oracle's, to the fen (persons without claims: zero). */
  async expectTotalsMatch(
    claims: readonly ClaimEvent[],
    expectFn: (actual: unknown, expected: unknown) => void,
  ): Promise<number> {
    const expected = expectedTotals(claims, oldestRetainedMonth(AS_OF, 14));
    const persons = [...new Set(claims.map((c) => c.personId))];
    const pipeline = this.redis.pipeline();
    for (const p of persons) pipeline.hgetall(this.keys.person(p));
    const replies = (await pipeline.exec()) ?? [];
    const actual = new Map(persons.map((p, i) => [p, totalsOfHash(replies[i]![1] as Record<string, string>)]));
    const want = new Map(persons.map((p) => [p, expected.get(p) ?? { burdenFen: 0, selfPayFen: 0 }]));
    expectFn(Object.fromEntries(actual), Object.fromEntries(want));
    return [...want.values()].reduce((s, t) => s + t.burdenFen, 0);
  }

  /** Reads a topic from the beginning until `until` holds for what was read. */
  async readTopic<T>(
    topic: string,
    parse: (value: Buffer | null, key: string | null) => T,
    until: (items: T[]) => boolean,
    timeoutMs = 60_000,
  ): Promise<T[]> {
    const items: T[] = [];
    const consumer = this.kafka.consumer({ groupId: uniqueId('reader') });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        items.push(parse(message.value, message.key?.toString() ?? null));
      },
    });
    try {
      await waitFor(`messages on ${topic}`, () => until(items), { timeoutMs, intervalMs: 200 });
      return items;
    } finally {
      await consumer.disconnect();
    }
  }

  async statuses(
    until: (items: { key: string | null; status: StatusMessage | null }[]) => boolean,
    timeoutMs?: number,
  ) {
    return this.readTopic(
      this.topics.householdStatus,
      (v, key) => ({ key, status: v ? (JSON.parse(v.toString()) as StatusMessage) : null }),
      until,
      timeoutMs,
    );
  }

  /** Every message on the status topic up to its end offsets taken now (after drained(): all of them). */
  async allStatuses() {
    const admin = this.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(this.topics.householdStatus).finally(() => admin.disconnect());
    const total = offsets.reduce((s, o) => s + Number(o.high) - Number(o.low), 0);
    return this.statuses((items) => items.length >= total);
  }

  /** The last status message per key on the status topic (null: a tombstone). */
  async lastStatuses(): Promise<Map<string, StatusMessage | null>> {
    const last = new Map<string, StatusMessage | null>();
    for (const { key, status } of await this.allStatuses()) if (key) last.set(key, status);
    return last;
  }

  async deadLetters(until: (items: DeadLetter[]) => boolean, timeoutMs?: number) {
    return this.readTopic(this.topics.claimsDlq, (v) => JSON.parse(v!.toString()) as DeadLetter, until, timeoutMs);
  }

  async teardown(): Promise<number[]> {
    const codes = await Promise.all(this.services.map((s) => s.stop()));
    await Promise.all(this.consumers.map((c) => c.disconnect().catch(() => undefined)));
    await this.producer?.disconnect();
    await deleteKeysUnder(this.redis, [this.redisPrefix, this.queuePrefix]);
    await this.redis.quit();
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [...Object.values(this.topics), this.parkedTopic] }).catch(() => undefined);
    await admin.deleteGroups([this.group]).catch(() => undefined);
    await admin.disconnect();
    return codes.map((c) => c ?? -1);
  }
}

/**
 * A harness for the enclosing `describe` (or file): topics created and one accumulator started before its
 * tests, and everything torn down after them, expecting the accumulator to have exited cleanly.
 */
export function startedHarness(partitions: number, env: Record<string, string> = {}): Harness {
  const h = new Harness(partitions);
  beforeAll(async () => {
    await h.setup();
    await h.start(env);
  });
  afterAll(async () => {
    expect(await h.teardown()).toEqual([0]);
  });
  return h;
}
