// Composition root of ingest: config, then clients, then handlers; SIGTERM drains and closes.
import {
  createKafka,
  createLogger,
  createRedisClient,
  isRedisCluster,
  closeOnSignals,
  ensureTopics,
  SessionProducer,
  topicNames,
  topicSpecs,
  type Closer,
} from '@warnline/runtime';
import { createAuthenticator } from './auth.ts';
import { loadConfig } from './config.ts';
import { buildHttp } from './http.ts';
import { createIdentityCipher } from './identity-cipher.ts';
import { identityKeepingPublisher } from './identity-keeping.ts';
import { createIdentityStore, type IdentityStore } from './identity-store.ts';
import { createIntake } from './intake.ts';
import { createKafkaInput } from './kafka-input.ts';
import { createMetrics } from './metrics.ts';
import { createExchangeIntake } from './nhsa-exchange.ts';
import { createPseudonymiser } from './pseudonym.ts';
import { createPublisher } from './publisher.ts';

const config = loadConfig();
const logger = createLogger('ingest', config.LOG_LEVEL);
const topics = topicNames(config.TOPIC_NAMESPACE);
const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'warnline-ingest', logger });

await ensureTopics(kafka, topicSpecs(topics, config.TOPIC_PARTITIONS));
// Idempotent producer (a retried send after a lost acknowledgement does not write the records twice),
// replaced after any failed send; one shared by the HTTP API and the Kafka input.
const metrics = createMetrics();
const producer = new SessionProducer(kafka, {
  sendTimeoutMs: config.INGEST_PUBLISH_TIMEOUT_MS,
  logger,
  onDiscard: () => metrics.producerSessionDiscarded(),
});
await producer.connect();

// Fails fast instead of queueing: a status read while Redis is away answers 503 at once.
const statusRedis =
  config.REDIS_URL === undefined && !isRedisCluster(config)
    ? null
    : createRedisClient(config, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
statusRedis?.on('error', (err: Error) => logger.warn({ err: { name: err.name } }, 'status redis unavailable'));

// The identity store: written before every publish, so a write must fail fast (a 503, a retried batch)
// rather than queue while Redis is away.
const identityRedis =
  config.identity === null
    ? null
    : createRedisClient(config.identity.redis, {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        lazyConnect: true,
      });
identityRedis?.on('error', (err: Error) => logger.warn({ err: { name: err.name } }, 'identity redis unavailable'));
await identityRedis?.connect();
const identityStore: IdentityStore | null =
  config.identity === null || identityRedis === null
    ? null
    : createIdentityStore({
        redis: identityRedis,
        prefix: config.identity.prefix,
        cipher: createIdentityCipher(config.identity.keys, config.identity.currentKeyId),
        recentCapacity: config.identity.recentMax,
      });
if (identityStore === null) logger.warn('no IDENTITY_KEYS configured: identities are not kept and cannot be revealed');

const kafkaPublisher = createPublisher(producer, topics);
const publisher = identityStore === null ? kafkaPublisher : identityKeepingPublisher(kafkaPublisher, identityStore);
const pseudonymise = createPseudonymiser(config.PSEUDONYM_KEY);
const intake = createIntake({
  pseudonymise,
  retentionMonths: config.RETENTION_MONTHS,
  // The error's name only: its message may quote the input.
  onError: (err) =>
    logger.error({ err: { name: (err as Error).name } }, 'unexpected failure on one item: dead-lettered'),
});
const exchanges = createExchangeIntake({
  intake,
  pseudonymise,
  institutionLevels: config.INGEST_INSTITUTION_LEVELS,
  onError: (err) =>
    logger.error({ err: { name: (err as Error).name } }, 'unexpected failure on one exchange: dead-lettered'),
});
const authenticator = createAuthenticator(config.tokens);
if (authenticator.size === 0) logger.warn('no INGEST_TOKENS configured: every POST is refused with 401');

const closers: Closer[] = [];
const app = buildHttp({
  logger,
  publisher,
  intake,
  authenticator,
  metrics,
  maxBatch: config.INGEST_MAX_BATCH,
  bodyLimit: config.INGEST_BODY_LIMIT,
  claimStatus: { redis: statusRedis, prefix: config.REDIS_PREFIX, pseudonymise },
  exchanges,
  identityReveal: { tokens: config.internalTokens, store: identityStore },
});
closers.push({ name: 'http', close: () => app.close() });
if (statusRedis) closers.push({ name: 'status redis', close: () => statusRedis.quit() });

if (config.INGEST_KAFKA_INPUT) {
  const input = createKafkaInput({
    kafka,
    groupId: config.INGEST_CONSUMER_GROUP,
    topics,
    intake,
    exchanges,
    publisher,
    metrics,
    logger,
  });
  await input.start();
  closers.push({ name: 'kafka input', close: () => input.stop() });
}
closers.push({ name: 'kafka producer', close: () => producer.disconnect() });
if (identityRedis) closers.push({ name: 'identity redis', close: () => identityRedis.quit() });

await app.listen({ port: config.INGEST_PORT, host: config.INGEST_HOST });
logger.info(
  {
    port: config.INGEST_PORT,
    topics: topics.claims,
    tokenCount: authenticator.size,
    kafkaInput: config.INGEST_KAFKA_INPUT,
    retentionMonths: config.RETENTION_MONTHS,
    identityStore: identityStore !== null,
  },
  'ingest listening',
);

closeOnSignals(logger, closers);
