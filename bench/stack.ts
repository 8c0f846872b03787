// Names, service environments and cleanup of one benchmark run. Every phase gets its own topic namespace,
// consumer groups, Redis key prefix and BullMQ prefix (the broker and Redis are shared with tests and other
// workloads), and everything the run created is deleted at the end, kept only with --keep.
import { createHash } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Redis } from 'ioredis';
import { topicNames, type TopicNames } from '@warnline/runtime';
import type { Infra } from '@warnline/infra';

export interface PhaseNames {
  namespace: string;
  topics: TopicNames;
  group: string;
  redisPrefix: string;
  queuePrefix: string;
}

export function phaseNames(runId: string, phase: string): PhaseNames {
  const base = `${runId}${phase}`;
  const namespace = `${base}.`;
  return {
    namespace,
    topics: topicNames(namespace),
    group: `${base}-acc`,
    redisPrefix: `${base}`,
    queuePrefix: `${base}q`,
  };
}

export interface Secrets {
  pseudonymKey: string;
  hospitalToken: string;
  registryToken: string;
  /** The identity store's key (base64, 32 bytes); null runs ingest without keeping identities (--without-identities). */
  identityKey: string | null;
}

export function secretsFor(runId: string, options: { identities: boolean } = { identities: true }): Secrets {
  return {
    pseudonymKey: `bench-pseudonym-key-${runId}-not-for-production`,
    hospitalToken: `bench-hospital-${runId}-0123456789`,
    registryToken: `bench-registry-${runId}-0123456789`,
    identityKey: options.identities ? createHash('sha256').update(`bench-identity-${runId}`).digest('base64') : null,
  };
}

/** The settings every service of a phase shares, as scripts/demo.ts wires them. */
export function serviceEnv(
  infra: Infra,
  names: PhaseNames,
  secrets: Secrets,
  partitions: number,
): Record<string, string> {
  return {
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    REDIS_URL: infra.redisUrl,
    TOPIC_NAMESPACE: names.namespace,
    TOPIC_PARTITIONS: String(partitions),
    CONSUMER_GROUP: names.group,
    REDIS_PREFIX: names.redisPrefix,
    QUEUE_PREFIX: names.queuePrefix,
    PSEUDONYM_KEY: secrets.pseudonymKey,
    INGEST_TOKENS: JSON.stringify([
      { name: 'bench-hospitals', token: secrets.hospitalToken, role: 'hospital', institutions: ['*'] },
      { name: 'bench-registry', token: secrets.registryToken, role: 'registry' },
    ]),
    // The HTTP path only: the Kafka raw input would be one more consumer competing for the two cores.
    INGEST_KAFKA_INPUT: 'false',
    // Identities kept as in production, under the phase's prefix (deleted with its keys).
    ...(secrets.identityKey === null
      ? {}
      : {
          IDENTITY_KEYS: `bench:${secrets.identityKey}`,
          IDENTITY_KEY_ID: 'bench',
          IDENTITY_REDIS_URL: infra.redisUrl,
          IDENTITY_PREFIX: `${names.redisPrefix}:ids`,
        }),
    LOG_LEVEL: 'warn',
  };
}

/** Deletes a phase's topics, consumer groups and Redis keys (its own prefixes only: never a flush). */
export async function cleanupPhase(
  kafka: Kafka,
  redis: Redis,
  names: PhaseNames,
  extraGroups: string[] = [],
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(names.namespace));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 }).catch(() => undefined);
    await admin.deleteGroups([names.group, `${names.namespace}warnline-ingest`, ...extraGroups]).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
  for (const prefix of [names.redisPrefix, names.queuePrefix]) await deleteKeys(redis, `${prefix}:*`);
}

export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 10_000);
    cursor = next;
    for (let i = 0; i < found.length; i += 1000) deleted += await redis.unlink(...found.slice(i, i + 1000));
  } while (cursor !== '0');
  return deleted;
}
