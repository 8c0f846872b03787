// Kafka clients for the services: kafkajs with its log lines sent to pino, and topic creation.
import { Kafka, logLevel, type Admin, type ITopicConfig } from 'kafkajs';
import type { Logger } from 'pino';
import { TOPICS } from '@warnline/contracts';
import { kafkaLogCreator } from './logger.ts';

export function createKafka(options: { brokers: string[]; clientId: string; logger: Logger }): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
    logCreator: kafkaLogCreator(options.logger),
  });
}

export type TopicNames = { [K in keyof typeof TOPICS]: string };

/**
 * The contract's topic names, optionally under a namespace ("t42." → "t42.claims.v1") so that tests and
 * parallel demos never share a topic. Production runs with an empty namespace.
 */
export function topicNames(namespace = ''): TopicNames {
  return Object.fromEntries(Object.entries(TOPICS).map(([key, name]) => [key, `${namespace}${name}`])) as TopicNames;
}

/** Partitions and cleanup policy of each topic. Compacted topics keep the latest value per key forever. */
export function topicSpecs(names: TopicNames, partitions: number): ITopicConfig[] {
  const compacted = [{ name: 'cleanup.policy', value: 'compact' }];
  return [
    { topic: names.claimsRaw, numPartitions: partitions },
    { topic: names.nhsaRaw, numPartitions: partitions },
    { topic: names.householdsRaw, numPartitions: partitions, configEntries: compacted },
    { topic: names.claims, numPartitions: partitions },
    { topic: names.households, numPartitions: partitions, configEntries: compacted },
    { topic: names.claimsDlq, numPartitions: 1 },
    { topic: names.householdsDlq, numPartitions: 1 },
    { topic: names.householdStatus, numPartitions: partitions, configEntries: compacted },
    { topic: names.alertsAudit, numPartitions: 1 },
  ].map((t) => ({ replicationFactor: -1, ...t }));
}

/** How long `ensureTopics` waits for the partitions of topics it created to be served, by default. */
const TOPICS_SERVED_WITHIN_MS = 60_000;

/**
 * Creates whichever of the topics do not exist yet, and returns once the broker serves every partition of
 * them. Safe to call from every instance at start.
 *
 * kafkajs' own `waitForLeaders` retries only "leader not available", while a freshly created partition can
 * also answer "This server does not host this topic-partition" for a moment on a loaded broker; that error
 * then escaped to the caller and stopped a service (or a test's set-up) at start. So the wait is done here,
 * retrying every error Kafka marks retriable until the deadline.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: ITopicConfig[],
  servedWithinMs = TOPICS_SERVED_WITHIN_MS,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    await admin.createTopics({ topics: missing, waitForLeaders: false });
    await waitUntilServed(
      admin,
      missing.map((t) => t.topic),
      servedWithinMs,
    );
  } finally {
    await admin.disconnect();
  }
}

async function waitUntilServed(admin: Admin, names: string[], withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const waiting = topics.filter(
        (t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0 || p.partitionErrorCode !== 0),
      );
      if (topics.length === names.length && waiting.length === 0) return;
      last = `partitions without a serving leader: ${waiting.map((t) => t.name).join(', ')}`;
    } catch (err) {
      if ((err as { retriable?: unknown }).retriable !== true) throw err;
      last = (err as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(`topics not served within ${withinMs} ms (${last}): ${names.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
