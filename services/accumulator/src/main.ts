// Composition root of the accumulator: config, then clients, then handlers; SIGTERM drains and closes.
import { shanghaiDate } from '@warnline/contracts';
import { loadRuleSetRegistry } from '@warnline/rules/data-dir';
import {
  checkRedisSettings,
  createKafka,
  createLogger,
  createRedisClient,
  closeOnSignals,
  ensureTopics,
  SessionProducer,
  type Shutdown,
  topicNames,
  topicSpecs,
  waitForReplicas,
} from '@warnline/runtime';
import { AlertPublisher } from './alerts.ts';
import { BatchGuard } from './batch-guard.ts';
import { loadConfig } from './config.ts';
import { startConsumerLoop } from './consumer-loop.ts';
import { EvaluationScheduler } from './evaluation-scheduler.ts';
import { Evaluator } from './evaluator.ts';
import { DeferrableEvaluator } from './deferral.ts';
import { buildHealth } from './health.ts';
import { createKeys } from './keys.ts';
import { createMetrics } from './metrics.ts';
import { parkedTopicName, parkedTopicSpec } from './parking.ts';
import { Processor } from './processor.ts';
import { startRollover } from './rollover.ts';
import { registerScripts } from './scripts.ts';

const config = loadConfig();
checkRedisSettings(config, config.QUEUE_PREFIX);
const logger = createLogger('accumulator', config.LOG_LEVEL);
const topics = topicNames(config.TOPIC_NAMESPACE);
const asOf = () => config.AS_OF ?? shanghaiDate(new Date());
const newKafka = () => createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'warnline-accumulator', logger });
const kafka = newKafka();
const parkedTopic = parkedTopicName(config.TOPIC_NAMESPACE);
await ensureTopics(kafka, [...topicSpecs(topics, config.TOPIC_PARTITIONS), parkedTopicSpec(config.TOPIC_NAMESPACE)]);
const metrics = createMetrics();

// Application commands, BullMQ producers and the BullMQ worker each get their own connection: a BullMQ
// worker's blocking commands must never hold up the application's. Application commands wait out a Redis
// outage (maxRetriesPerRequest: null): the batch stalls, its offsets are not committed, and nothing is skipped.
const redis = createRedisClient(config, { maxRetriesPerRequest: null });
registerScripts(redis);
const queueRedis = createRedisClient(config, { maxRetriesPerRequest: null });
const workerRedis = createRedisClient(config, { maxRetriesPerRequest: null });
const alerts = new AlertPublisher(queueRedis, config.QUEUE_PREFIX);
const keys = createKeys(config.REDIS_PREFIX, config.ACTIVE_INDEX_SHARDS);

// Replaced after any failed send, which it repeats whole on the new session (packages/runtime session-producer.ts).
const producer = new SessionProducer(kafka, { logger });
await producer.connect();

// Operator-added yearly figures are read once, here; bad data stops the start (a restart cannot help).
const ruleSets = await loadRuleSetRegistry(config.RULE_SET_DATA_DIR).catch((err: unknown) => {
  logger.fatal({ err, dir: config.RULE_SET_DATA_DIR }, `rule-set data is invalid: ${(err as Error).message}`);
  process.exit(78);
});
const evaluator = new Evaluator({
  ruleSets,
  redis,
  keys,
  producer,
  alerts,
  logger,
  metrics,
  statusTopic: topics.householdStatus,
  ruleSet: config.RULE_SET,
  chunk: config.EVALUATION_CHUNK,
  chunksInFlight: config.EVALUATION_CHUNKS_IN_FLIGHT,
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
  // While a go-live load runs (npm run go-live -- defer), each round records the households it touched instead.
  evaluation: new EvaluationScheduler({
    evaluator: new DeferrableEvaluator(evaluator, redis, keys),
    delayMs: config.EVALUATION_DELAY_MS,
  }),
  logger,
  metrics,
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

const health = buildHealth({ logger, metrics, parkedTopic });
const guard = new BatchGuard({
  producer,
  parkedTopic,
  logger,
  metrics,
  attempts: config.PARK_AFTER_ATTEMPTS,
  backoffMs: config.PARK_RETRY_BACKOFF_MS,
});

// Set once the consumers run; a crash before that is a failed start.
let shutdown: Shutdown | undefined = undefined;
const consumers = await startConsumerLoop({
  newKafka,
  groupId: config.CONSUMER_GROUP,
  sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
  maxBytesPerPartition: config.KAFKA_MAX_BYTES_PER_PARTITION,
  partitionsConsumedConcurrently: config.PARTITIONS_CONSUMED_CONCURRENTLY,
  consumers: config.KAFKA_CONSUMERS,
  topics,
  processor,
  guard,
  metrics,
  logger,
  // On Redis Cluster a batch is committed only once its writes (totals and alert jobs) are on a replica, so a
  // failover after the commit cannot lose them (README, "Running on a cluster").
  beforeCommit: () => waitForReplicas([redis, queueRedis]),
  // Exit so the supervisor starts a fresh process rather than leaving a healthy-looking one. During a
  // shutdown a member can crash while the group rebalances around the members already gone: the batch it had
  // is not committed (the next owner replays it) and the shutdown goes on.
  onFatalCrash: (err) => {
    if (shutdown?.closing) {
      logger.warn({ err }, 'consumer stopped with an error during shutdown; its uncommitted batch will be replayed');
      return;
    }
    logger.fatal({ err }, 'consumer crashed and will not restart: exiting');
    process.exit(1);
  },
});

shutdown = closeOnSignals(logger, [
  // Every member stops (its batch finished, no more fetches) before any leaves the group: a member that left
  // while another still ran would send that one into a rebalance in the middle of the shutdown. And all are
  // gone before Redis and the producer close under a batch still running.
  {
    name: 'consumers',
    close: async () => {
      const stopped = await Promise.allSettled(consumers.map((c) => c.stop()));
      const left = await Promise.allSettled(consumers.map((c) => c.disconnect()));
      const failed = [...stopped, ...left].find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  },
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
