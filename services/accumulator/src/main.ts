// Composition root of the accumulator: config, then clients, then handlers; SIGTERM drains and closes.
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { shanghaiDate } from '@warnline/contracts';
import { createKafka, createLogger, closeOnSignals, ensureTopics, topicNames, topicSpecs } from '@warnline/runtime';
import { AlertPublisher } from './alerts.ts';
import { loadConfig } from './config.ts';
import { createKeys } from './keys.ts';
import { Processor } from './processor.ts';
import { registerScripts } from './scripts.ts';

const config = loadConfig();
const logger = createLogger('accumulator', config.LOG_LEVEL);
const topics = topicNames(config.TOPIC_NAMESPACE);
const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'warnline-accumulator', logger });
await ensureTopics(kafka, topicSpecs(topics, config.TOPIC_PARTITIONS));

// Application commands and BullMQ get separate connections (conventions.md, patterns to avoid).
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
registerScripts(redis);
const queueRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
const alerts = new AlertPublisher(queueRedis, config.QUEUE_PREFIX);

const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();

const processor = new Processor({
  redis,
  keys: createKeys(config.REDIS_PREFIX),
  producer,
  alerts,
  logger,
  topics,
  ruleSet: config.RULE_SET,
  asOf: () => config.AS_OF ?? shanghaiDate(new Date()),
});

const consumer = kafka.consumer({ groupId: config.CONSUMER_GROUP });
await consumer.connect();
await consumer.subscribe({ topics: [topics.households, topics.claims], fromBeginning: true });
await consumer.run({
  eachBatchAutoResolve: false,
  eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }) => {
    if (batch.topic === topics.households) await processor.households(batch.messages);
    else await processor.claims(batch.messages);
    // Offsets move only after Redis and Kafka writes are done: a crash before this replays the batch,
    // and every effect above is idempotent.
    const last = batch.messages.at(-1);
    if (last) resolveOffset(last.offset);
    await commitOffsetsIfNecessary();
    await heartbeat();
  },
});

const health = Fastify({ loggerInstance: logger as FastifyBaseLogger, disableRequestLogging: true });
health.get('/healthz', async () => ({ status: 'ok' }));
await health.listen({ port: config.ACCUMULATOR_PORT, host: config.ACCUMULATOR_HOST });
logger.info({ group: config.CONSUMER_GROUP, topics: [topics.claims, topics.households] }, 'accumulator consuming');

closeOnSignals(logger, [
  { name: 'consumer', close: () => consumer.disconnect() },
  { name: 'health', close: () => health.close() },
  { name: 'alerts', close: () => alerts.close() },
  { name: 'producer', close: () => producer.disconnect() },
  { name: 'redis', close: () => redis.quit() },
  { name: 'queue redis', close: () => queueRedis.quit() },
]);
