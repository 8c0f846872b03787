// Integration-tier helpers: ingest as a separate process against the real broker, and a tap that
// records every message of the output topics so tests can wait on them and grep them.
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { freePort } from '@warnline/infra';
import { topicNames, type TopicNames } from '@warnline/runtime';
import { uniqueId, uniqueNamespace, startService, type RunningService, waitFor } from '@warnline/test';

export const PSEUDONYM_KEY = 'integration-pseudonym-key-0123456789abcdef';

export interface Ingest {
  service: RunningService;
  url: string;
  topics: TopicNames;
  tokens: { hospital: string; registry: string };
  post(
    path: '/v1/claims' | '/v1/households' | '/v1/nhsa/exchanges',
    body: unknown,
    token?: string | null,
    headers?: Record<string, string>,
  ): Promise<Response>;
}

export async function startIngest(brokers: string[], env: Record<string, string> = {}): Promise<Ingest> {
  // A test that must create some topics itself first (with settings of its own) passes its namespace.
  const namespace = env.TOPIC_NAMESPACE ?? uniqueNamespace();
  const tokens = {
    hospital: uniqueId('hospital-secret-0123456789-'),
    registry: uniqueId('registry-secret-0123456789-'),
  };
  const port = await freePort();
  const service = await startService(
    'ingest',
    {
      KAFKA_BROKERS: brokers.join(','),
      TOPIC_NAMESPACE: namespace,
      TOPIC_PARTITIONS: '3',
      PSEUDONYM_KEY,
      INGEST_PORT: String(port),
      INGEST_TOKENS: JSON.stringify([
        { name: 'ruijin', token: tokens.hospital, role: 'hospital', institutions: ['H31011000012'] },
        { name: 'registry', token: tokens.registry, role: 'registry' },
      ]),
      INGEST_INSTITUTION_LEVELS: JSON.stringify({ H31011000012: 3 }),
      LOG_LEVEL: 'info',
      ...env,
    },
    port,
  );
  return {
    service,
    url: service.url,
    topics: topicNames(namespace),
    tokens,
    post: (path, body, token = path === '/v1/households' ? tokens.registry : tokens.hospital, headers = {}) =>
      fetch(`${service.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  };
}

export interface TappedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Records every message of some topics from the beginning, in a consumer group of its own. */
export class Tap {
  readonly messages: TappedMessage[] = [];
  private constructor(
    private readonly kafka: Kafka,
    private readonly consumer: Consumer,
    private readonly topics: string[],
  ) {}

  static async start(brokers: string[], topics: string[]): Promise<Tap> {
    const kafka = new Kafka({ clientId: 'ingest-test-tap', brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: uniqueId('tap'), allowAutoTopicCreation: false });
    const tap = new Tap(kafka, consumer, topics);
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        tap.messages.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers,
        });
      },
    });
    return tap;
  }

  on(topic: string): TappedMessage[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  async waitForCount(topic: string, count: number): Promise<TappedMessage[]> {
    return waitFor(
      `${count} message(s) on ${topic}`,
      () => (this.on(topic).length >= count ? this.on(topic) : undefined),
      { timeoutMs: 60_000 },
    );
  }

  /** Waits until the tap has read every message the topics hold now (their high watermarks). */
  async drain(): Promise<TappedMessage[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = await Promise.all(
        this.topics.map(async (topic) => ({ topic, offsets: await admin.fetchTopicOffsets(topic) })),
      );
      const total = ends.reduce((sum, t) => sum + t.offsets.reduce((s, p) => s + Number(p.high) - Number(p.low), 0), 0);
      await waitFor(`tap to read all ${total} messages`, () => this.messages.length >= total, { timeoutMs: 60_000 });
      return this.messages;
    } finally {
      await admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** A producer for the raw input topics. */
export async function rawProducer(brokers: string[]) {
  const kafka = new Kafka({ clientId: 'ingest-test-feed', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  return { kafka, producer };
}

/** Messages a consumer group has not committed yet on some topics (0 = all processed and committed). */
export { consumerLag as groupLag } from '@warnline/test';

/** An ingest process with its Kafka input on `group`, a tap on its four output topics, and a raw-topic producer. */
export async function startTappedIngest(brokers: string[], group: string, env: Record<string, string> = {}) {
  const ingest = await startIngest(brokers, { INGEST_CONSUMER_GROUP: group, ...env });
  const t = ingest.topics;
  const tap = await Tap.start(brokers, [t.claims, t.households, t.claimsDlq, t.householdsDlq]);
  const { kafka, producer } = await rawProducer(brokers);
  return { ingest, tap, kafka, producer };
}

export type TappedIngest = Awaited<ReturnType<typeof startTappedIngest>> & { group: string };

/**
 * Starts a tapped ingest for the whole test file (its Kafka input on a group of its own, named from
 * `groupLabel`) and stops it after the file, expecting a clean exit. The fields are filled in `beforeAll`.
 */
export function tappedIngestForFile(groupLabel: string, env: Record<string, string> = {}): TappedIngest {
  const group = uniqueId(groupLabel);
  const running = { group } as TappedIngest;
  beforeAll(async () => {
    Object.assign(running, await startTappedIngest(inject('kafkaBrokers'), group, env));
  });
  afterAll(async () => {
    await running.producer?.disconnect();
    await running.tap?.stop();
    expect(await running.ingest?.service.stop()).toBe(0);
  });
  return running;
}
