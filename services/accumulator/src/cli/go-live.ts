// Deferred evaluation for a go-live load, run with the accumulator's own settings:
//
//   npm run go-live -w @warnline/accumulator -- defer     before the load: record touched households, evaluate none
//   npm run go-live -w @warnline/accumulator -- status    is evaluation deferred, how many households wait
//   npm run go-live -w @warnline/accumulator -- release [--wait-ms N]
//        after the load: wait (up to N ms, default 3600000) until the accumulator's group has processed every
//        message of claims.v1 and households.v1, then evaluate every recorded household once and raise the
//        go-live alerts in priority order; prints the go-live report (per street, by level) as JSON.
//
// Exit 0 done, 2 usage, 1 failure (run `release` again: it finishes what was left, adding nothing twice).
import { parseArgs } from 'node:util';
import { shanghaiDate } from '@warnline/contracts';
import { loadRuleSetRegistry } from '@warnline/rules/data-dir';
import {
  createKafka,
  createLogger,
  createRedisClient,
  groupPositions,
  SessionProducer,
  topicNames,
} from '@warnline/runtime';
import { AlertPublisher } from '../alerts.ts';
import { loadConfig } from '../config.ts';
import { Evaluator } from '../evaluator.ts';
import { deferEvaluation, deferralStatus, goLive, GoLiveAlertList } from '../go-live.ts';
import { createKeys } from '../keys.ts';
import { createMetrics } from '../metrics.ts';
import { registerScripts } from '../scripts.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'wait-ms': { type: 'string', default: '3600000' } },
});
const command = positionals[0];
const waitMs = Number(values['wait-ms']);
if (!['defer', 'status', 'release'].includes(command ?? '') || !Number.isSafeInteger(waitMs) || waitMs < 0) {
  process.stderr.write('usage: go-live defer | status | release [--wait-ms N]\n');
  process.exit(2);
}

const config = loadConfig();
const logger = createLogger('accumulator-go-live', config.LOG_LEVEL);
const redis = createRedisClient(config, { maxRetriesPerRequest: null });
registerScripts(redis);
const keys = createKeys(config.REDIS_PREFIX, config.ACTIVE_INDEX_SHARDS);
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function waitForCatchUp(): Promise<void> {
  const topics = topicNames(config.TOPIC_NAMESPACE);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'warnline-go-live', logger });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const { lag } = await groupPositions(admin, config.CONSUMER_GROUP, [topics.claims, topics.households]);
      if (lag === 0) return;
      if (Date.now() >= deadline) {
        process.stderr.write(`the accumulator still has ${lag} messages to process; going live without them\n`);
        return;
      }
      process.stderr.write(`waiting for the accumulator: ${lag} messages to process\n`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  } finally {
    await admin.disconnect();
  }
}

async function release(): Promise<void> {
  await waitForCatchUp();
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'warnline-go-live', logger });
  const producer = new SessionProducer(kafka, { logger });
  await producer.connect();
  const queueRedis = createRedisClient(config, { maxRetriesPerRequest: null });
  const streets = new AlertPublisher(queueRedis, config.QUEUE_PREFIX);
  const list = new GoLiveAlertList(redis, keys.deferral().alerts, config.QUEUE_PREFIX);
  try {
    const asOf = config.AS_OF ?? shanghaiDate(new Date());
    const evaluator = new Evaluator({
      ruleSets: await loadRuleSetRegistry(config.RULE_SET_DATA_DIR),
      redis,
      keys,
      producer,
      alerts: list,
      logger,
      metrics: createMetrics(),
      statusTopic: topicNames(config.TOPIC_NAMESPACE).householdStatus,
      ruleSet: config.RULE_SET,
      chunk: config.EVALUATION_CHUNK,
      chunksInFlight: config.EVALUATION_CHUNKS_IN_FLIGHT,
    });
    const report = await goLive({
      redis,
      keys,
      evaluator,
      alerts: streets,
      asOf,
      chunk: config.EVALUATION_CHUNK,
      roundSize: config.EVALUATION_CHUNK * config.EVALUATION_CHUNKS_IN_FLIGHT,
    });
    print(report);
  } finally {
    await list.close();
    await streets.close();
    await queueRedis.quit();
    await producer.disconnect();
  }
}

try {
  if (command === 'defer') {
    await deferEvaluation(redis, keys, new Date());
    print(await deferralStatus(redis, keys));
  } else if (command === 'status') {
    print(await deferralStatus(redis, keys));
  } else {
    await release();
  }
  await redis.quit();
  process.exit(0);
} catch (err) {
  logger.error({ err }, 'go-live failed; run it again to finish');
  process.exit(1);
}
