// Puts parked records back on their original topic, with their original key, value and headers, once the
// cause that made them fail is fixed. Replaying is safe: every effect of the accumulator is idempotent (a
// claim already counted comes back as a duplicate), so a record replayed twice still counts once.
//
//   KAFKA_BROKERS=… [TOPIC_NAMESPACE=…] npx tsx services/accumulator/src/cli/replay-parked.ts \
//     [--from-offset N] [--dry-run]
//
// Replays the parked topic from offset N (default 0) up to its end when the command starts, and prints the
// offset to start from next time.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { createKafka, createLogger, SessionProducer } from '@warnline/runtime';
import { loadReplayConfig } from '../config.ts';
import { PARKED_HEADER_PREFIX, parkedTopicName } from '../parking.ts';

const { values } = parseArgs({
  options: { 'from-offset': { type: 'string', default: '0' }, 'dry-run': { type: 'boolean', default: false } },
});
const from = Number(values['from-offset']);
if (!Number.isSafeInteger(from) || from < 0) {
  process.stderr.write('--from-offset: a non-negative integer\n');
  process.exit(64);
}

const config = loadReplayConfig();
const logger = createLogger('accumulator-replay', config.LOG_LEVEL);
const topic = parkedTopicName(config.TOPIC_NAMESPACE);
const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'warnline-accumulator-replay', logger });

const header = (m: KafkaMessage, name: string) => m.headers?.[name]?.toString();

/** The message as it was before it was parked, and the topic it came from. */
function original(m: KafkaMessage): { topic: string; message: Message } {
  const origin = header(m, `${PARKED_HEADER_PREFIX}topic`);
  if (!origin) throw new Error(`offset ${m.offset} of ${topic} has no ${PARKED_HEADER_PREFIX}topic header`);
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(m.headers ?? {})) {
    if (!name.startsWith(PARKED_HEADER_PREFIX) && value !== undefined) headers[name] = value;
  }
  return { topic: origin, message: { key: m.key, value: m.value, headers } };
}

const admin = kafka.admin();
await admin.connect();
if (!(await admin.listTopics()).includes(topic)) {
  // Created by the accumulator at start; absent: nothing was ever parked under this namespace.
  logger.info({ parkedTopic: topic }, 'no parked topic: nothing to replay');
  await admin.disconnect();
  process.exit(0);
}
const [partition] = await admin.fetchTopicOffsets(topic);
const end = Number(partition?.high ?? 0);
const start = Math.max(from, Number(partition?.low ?? 0));
const replayed: Record<string, number> = {};

if (start < end) {
  const groupId = `warnline-accumulator-replay-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId });
  const producer = new SessionProducer(kafka, { logger });
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: true });
  let done!: () => void;
  let failed!: (err: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => ((done = resolve), (failed = reject)));
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      const offset = Number(message.offset);
      if (offset < start || offset >= end) return;
      try {
        const { topic: target, message: out } = original(message);
        if (!values['dry-run']) await producer.send({ topic: target, acks: -1, messages: [out] });
        replayed[target] = (replayed[target] ?? 0) + 1;
        logger.info(
          {
            offset,
            topic: target,
            partition: header(message, `${PARKED_HEADER_PREFIX}partition`),
            originalOffset: header(message, `${PARKED_HEADER_PREFIX}offset`),
            code: header(message, `${PARKED_HEADER_PREFIX}code`),
            dryRun: values['dry-run'],
          },
          'parked record replayed',
        );
      } catch (err) {
        failed(err);
        throw err;
      }
      if (offset === end - 1) done();
    },
  });
  consumer.seek({ topic, partition: 0, offset: String(start) });
  try {
    await finished;
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}
await admin.disconnect();
logger.info({ parkedTopic: topic, fromOffset: start, nextOffset: end, replayed }, 'replay done');
