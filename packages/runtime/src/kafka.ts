// Kafka clients for the services: kafkajs with its log lines sent to pino, and topic creation.
import { Kafka, logLevel, type ITopicConfig } from 'kafkajs';
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

/** Creates whichever of the topics do not exist yet. Safe to call from every instance at start. */
export async function ensureTopics(kafka: Kafka, topics: ITopicConfig[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
