// Composition root of the accumulator: config, then clients, then handlers; SIGTERM drains and closes.
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { shanghaiDate } from '@warnline/contracts';
import { createKafka, createLogger, closeOnSignals, ensureTopics, topicNames, topicSpecs } from '@warnline/runtime';
import { AlertPublisher } from './alerts.ts';
import { loadConfig } from './config.ts';
import { Evaluator } from './evaluator.ts';
import { createKeys } from './keys.ts';
import { Processor } from './processor.ts';
import { startRollover } from './rollover.ts';
import { registerScripts } from './scripts.ts';

const config = loadConfig();
const logger = createLogger('accumulator', config.LOG_LEVEL);
const topics = topicNames(config.TOPIC_NAMESPACE);
const asOf = () => config.AS_OF ?? shanghaiDate(new Date());
const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'warnline-accumulator', logger });
await ensureTopics(kafka, topicSpecs(topics, config.TOPIC_PARTITIONS));

// Application commands, BullMQ producers and the BullMQ worker each get their own connection (conventions.md,
// patterns to avoid). Application commands wait out a Redis outage (maxRetriesPerRequest: null): the batch
// stalls, its offsets are not committed, and nothing is skipped.
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
registerScripts(redis);
const queueRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
const workerRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
const alerts = new AlertPublisher(queueRedis, config.QUEUE_PREFIX);
const keys = createKeys(config.REDIS_PREFIX, config.ACTIVE_INDEX_SHARDS);

const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();

const evaluator = new Evaluator({
  redis,
  keys,
  producer,
  alerts,
  logger,
  statusTopic: topics.householdStatus,
  ruleSet: config.RULE_SET,
  chunk: config.EVALUATION_CHUNK,
});
// Fail at start-up, not per batch, when the rule set is unknown or not in force (a restart cannot help).
try {
  evaluator.ruleSetAt(asOf());
} catch (err) {
  logger.fatal({ err, ruleSet: config.RULE_SET, asOf: asOf() }, 'no rule set to evaluate with');
  process.exit(78);
}
const processor = new Processor({
  redis,
  keys,
  producer,
  evaluator,
  logger,
  topics,
  retentionMonths: config.RETENTION_MONTHS,
  asOf,
});

const rollover = config.ROLLOVER_ENABLED
  ? await startRollover({
      redis,
      keys,
      evaluator,
      logger,
      retentionMonths: config.RETENTION_MONTHS,
      asOf,
      chunk: config.EVALUATION_CHUNK,
      queueConnection: queueRedis,
      workerConnection: workerRedis,
      prefix: config.QUEUE_PREFIX,
      cron: config.ROLLOVER_CRON,
    })
  : null;

const health = Fastify({
  loggerInstance: logger as FastifyBaseLogger,
  logController: new LogController({ disableRequestLogging: true }),
});
health.get('/healthz', async () => ({ status: 'ok' }));

const consumer = kafka.consumer({
  groupId: config.CONSUMER_GROUP,
  sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
  heartbeatInterval: Math.min(3000, config.KAFKA_SESSION_TIMEOUT_MS / 3),
  maxBytesPerPartition: config.KAFKA_MAX_BYTES_PER_PARTITION,
  maxBytes: Math.max(config.KAFKA_MAX_BYTES_PER_PARTITION * 4, 10 * 1024 * 1024),
});
// kafkajs restarts the consumer after retriable failures (Redis or Kafka down: the batch is retried from the
// last commit). After a failure it will not restart from, exit so the supervisor starts a fresh process
// rather than leaving a healthy-looking instance that consumes nothing.
consumer.on(consumer.events.CRASH, ({ payload }) => {
  if (!payload.restart) {
    logger.fatal({ err: payload.error }, 'consumer crashed and will not restart: exiting');
    process.exit(1);
  }
});
await consumer.connect();
await consumer.subscribe({ topics: [topics.households, topics.claims], fromBeginning: true });
await consumer.run({
  eachBatchAutoResolve: false,
  // Commit as soon as a batch is resolved (threshold 1), never on a timer: resolved means fully applied.
  autoCommitThreshold: 1,
  partitionsConsumedConcurrently: config.PARTITIONS_CONSUMED_CONCURRENTLY,
  eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
    if (batch.messages.length === 0 || !isRunning() || isStale()) return;
    const origin = { topic: batch.topic, partition: batch.partition };
    const started = performance.now();
    // A thrown error (Redis or Kafka down) leaves the offsets where they were: kafkajs retries the batch,
    // then restarts the consumer from the last commit. Every step is idempotent, so a replay is harmless.
    const stats =
      batch.topic === topics.households
        ? await processor.households(batch.messages, origin, heartbeat)
        : await processor.claims(batch.messages, origin, heartbeat);
    // Offsets move only after every Redis, Kafka and BullMQ write above is done.
    resolveOffset(batch.lastOffset());
    await commitOffsetsIfNecessary();
    await heartbeat();
    logger.debug(
      { ...origin, messages: batch.messages.length, ms: Math.round(performance.now() - started), ...stats },
      'batch done',
    );
  },
});

closeOnSignals(logger, [
  { name: 'consumer', close: () => consumer.disconnect() },
  { name: 'health', close: () => health.close() },
  { name: 'rollover worker', close: async () => rollover?.worker.close() },
  { name: 'rollover queue', close: async () => rollover?.queue.close() },
  { name: 'alerts', close: () => alerts.close() },
  { name: 'producer', close: () => producer.disconnect() },
  { name: 'redis', close: () => redis.quit() },
  { name: 'queue redis', close: () => queueRedis.quit() },
  { name: 'worker redis', close: () => workerRedis.quit() },
]);

// /healthz answers only once SIGTERM is handled: a supervisor (or a test) that stops the service as soon as
// it is healthy gets a clean shutdown.
await health.listen({ port: config.ACCUMULATOR_PORT, host: config.ACCUMULATOR_HOST });
logger.info(
  {
    group: config.CONSUMER_GROUP,
    topics: [topics.claims, topics.households],
    retentionMonths: config.RETENTION_MONTHS,
    ruleSet: config.RULE_SET,
    asOf: config.AS_OF ?? 'clock',
  },
  'accumulator consuming',
);
