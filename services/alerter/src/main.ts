// Composition root of the alerter: config, then clients, then handlers; SIGTERM drains and closes.
import { CHARITY_QUEUE, CITY_ESCALATION_QUEUE } from '@warnline/contracts';
import {
  checkRedisSettings,
  closeOnSignals,
  createKafka,
  createLogger,
  createRedisClient,
  ensureTopics,
  topicNames,
  topicSpecs,
} from '@warnline/runtime';
import { AlertStore } from './alert-store.ts';
import { AuditLog } from './audit.ts';
import { createAuthenticator } from './auth.ts';
import { loadConfig } from './config.ts';
import { Effects, OutboxRelay } from './effects.ts';
import { buildHttp } from './http.ts';
import { createIdentityClient } from './identity-client.ts';
import { DashboardReader } from './dashboard.ts';
import { createKeys } from './keys.ts';
import { startLinkWorker } from './links.ts';
import { createMetrics } from './metrics.ts';
import { createPipelineProbe } from './pipeline.ts';
import { pipelineReport } from './pipeline-report.ts';
import { QueueSet, TIMER_QUEUE } from './queues.ts';
import { registerScripts } from './scripts.ts';
import { StreetConsumers } from './street-consumers.ts';
import { startTimerWorker } from './timers.ts';

const config = loadConfig();
checkRedisSettings(config, config.QUEUE_PREFIX);
const logger = createLogger('alerter', config.LOG_LEVEL);
if (config.tokens.length === 0) logger.warn('no ALERTER_TOKENS configured: every API call answers 401');

// Two connections: the store's commands and BullMQ's (workers add their own blocking ones).
const redis = createRedisClient(config, { maxRetriesPerRequest: null });
const bullConnection = createRedisClient(config, { maxRetriesPerRequest: null });
registerScripts(redis);

const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'warnline-alerter', logger });
const topics = topicNames(config.TOPIC_NAMESPACE);
await ensureTopics(
  kafka,
  topicSpecs(topics, 1).filter((t) => t.topic === topics.alertsAudit),
);
const audit = new AuditLog(kafka, topics.alertsAudit);
await audit.connect();

const keys = createKeys(config.REDIS_PREFIX);
const store = new AlertStore(redis, keys);
const queues = new QueueSet(bullConnection, config.QUEUE_PREFIX);
queues.get(CHARITY_QUEUE);
queues.get(TIMER_QUEUE);
queues.get(CITY_ESCALATION_QUEUE);
const limits = {
  acknowledgeWithinMs: config.ALERT_ACK_WITHIN_SECONDS * 1000,
  closeWithinMs: config.ALERT_CLOSE_WITHIN_SECONDS * 1000,
  assignWithinWorkingDays: config.TRIAGE_ASSIGN_WORKING_DAYS,
};
const effects = new Effects({ store, queues, audit, logger, limits });
const pipeline = createPipelineProbe({ kafka, redis, queues, groups: config.ALERTER_LAG_GROUPS });
const metrics = createMetrics(store, async () => [...(await store.knownStreets()).keys()], pipeline);

const relay = new OutboxRelay({
  store,
  effects,
  logger,
  intervalMs: config.ALERTER_OUTBOX_INTERVAL_MS,
  graceMs: config.ALERTER_OUTBOX_INTERVAL_MS,
});
// Whatever a previous run left in the outboxes (a crash between a change and its side effects) first.
await relay.drain();
relay.start();
const timerWorker = startTimerWorker({
  connection: bullConnection,
  prefix: config.QUEUE_PREFIX,
  store,
  effects,
  logger,
});
const linkWorker = startLinkWorker({ connection: bullConnection, prefix: config.QUEUE_PREFIX, store, effects, logger });
const streets = new StreetConsumers({
  connection: bullConnection,
  redis,
  prefix: config.QUEUE_PREFIX,
  store,
  effects,
  queues,
  metrics,
  logger,
  limits,
  configured: config.ALERTER_STREETS,
  discoveryIntervalMs: config.ALERTER_DISCOVERY_INTERVAL_MS,
});
await streets.start();

const identities = createIdentityClient({
  url: config.INGEST_INTERNAL_URL,
  token: config.INGEST_INTERNAL_TOKEN,
  timeoutMs: config.REVEAL_TIMEOUT_MS,
  logger,
});
if (config.INGEST_INTERNAL_URL === undefined)
  logger.warn('no INGEST_INTERNAL_URL configured: every reveal answers 503 REVEAL_UNAVAILABLE');
const app = buildHttp({
  logger,
  auth: createAuthenticator(config.tokens),
  store,
  effects,
  metrics,
  queues,
  reveal: {
    store,
    effects,
    identities,
    logger,
    rateLimit: config.REVEAL_RATE_LIMIT,
    closedMaxDays: config.REVEAL_CLOSED_MAX_DAYS,
  },
  dashboard: new DashboardReader(redis, keys),
  pipeline: () =>
    pipelineReport({
      probe: pipeline,
      board: config.ALERTER_BOARD_URL,
      prometheusUrl: config.ALERTER_PROMETHEUS_URL,
      silentFeedHours: config.SILENT_FEED_HOURS,
      now: new Date(),
    }),
});
await app.listen({ port: config.ALERTER_PORT, host: config.ALERTER_HOST });
logger.info({ port: config.ALERTER_PORT, queues: streets.queueNames().length }, 'alerter listening');

closeOnSignals(logger, [
  { name: 'http', close: () => app.close() },
  { name: 'street workers', close: () => streets.close() },
  { name: 'timer worker', close: () => timerWorker.close() },
  { name: 'link worker', close: () => linkWorker.close() },
  { name: 'outbox relay', close: () => relay.stop() },
  { name: 'queues', close: () => queues.close() },
  { name: 'kafka', close: () => audit.close() },
  { name: 'kafka admin', close: () => pipeline.close() },
  { name: 'redis (bullmq)', close: () => bullConnection.quit() },
  { name: 'redis', close: () => redis.quit() },
]);
