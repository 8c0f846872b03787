// Composition root of ingest: config, then clients, then handlers; SIGTERM drains and closes.
import { createKafka, createLogger, closeOnSignals, ensureTopics, topicNames, topicSpecs } from '@warnline/runtime';
import { loadConfig } from './config.ts';
import { buildHttp } from './http.ts';
import { createPseudonymiser } from './pseudonym.ts';
import { createPublisher } from './publisher.ts';

const config = loadConfig();
const logger = createLogger('ingest', config.LOG_LEVEL);
const topics = topicNames(config.TOPIC_NAMESPACE);
const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'warnline-ingest', logger });

await ensureTopics(kafka, topicSpecs(topics, config.TOPIC_PARTITIONS));
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();

const app = buildHttp({
  logger,
  publisher: createPublisher(producer, topics),
  pseudonymise: createPseudonymiser(config.PSEUDONYM_KEY),
  maxBatch: config.INGEST_MAX_BATCH,
  bodyLimit: config.INGEST_BODY_LIMIT,
});
await app.listen({ port: config.INGEST_PORT, host: config.INGEST_HOST });
logger.info({ port: config.INGEST_PORT, topics: topics.claims }, 'ingest listening');

closeOnSignals(logger, [
  { name: 'http', close: () => app.close() },
  { name: 'kafka producer', close: () => producer.disconnect() },
]);
