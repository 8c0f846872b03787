// The Kafka input: his.claims.raw.v1 and registry.households.v1, for feeds that write to Kafka instead of
// calling the API. Each batch is validated like an HTTP request; events and dead letters go out in one
// acknowledged write, and only then is the batch's offset committed: a crash before that replays the batch,
// which is harmless (resent claims are idempotent downstream). A message that is not JSON, not UTF-8 or
// empty goes to the dead-letter topic like any other refused input; nothing in a message can make the
// consumer throw, so no poison message can crash-loop a partition.
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type { Origin, RefusedInput } from './dead-letter.ts';
import { countWritten, emptyOutbound, type Intake } from './intake.ts';
import type { Metrics } from './metrics.ts';
import type { Publisher } from './publisher.ts';

export interface KafkaInputDeps {
  kafka: Kafka;
  groupId: string;
  topics: { claimsRaw: string; householdsRaw: string };
  intake: Intake;
  publisher: Publisher;
  metrics: Metrics;
  logger: Logger;
  now?: () => Date;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A message value as JSON, or its size when it is not JSON. Never throws. */
export function decodeValue(value: Buffer | null): RefusedInput {
  if (value === null) return { json: null }; // a tombstone: not a record (deleting one is not in the contract)
  try {
    return { json: JSON.parse(utf8.decode(value)) as unknown };
  } catch {
    return { undecodableBytes: value.length };
  }
}

export interface KafkaInput {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createKafkaInput(deps: KafkaInputDeps): KafkaInput {
  const { intake, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const consumer: Consumer = deps.kafka.consumer({ groupId: deps.groupId, allowAutoTopicCreation: false });

  async function eachBatch({
    batch,
    resolveOffset,
    commitOffsetsIfNecessary,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const messages: KafkaMessage[] = batch.messages;
    const last = messages[messages.length - 1];
    if (last === undefined || !isRunning() || isStale()) return;
    const kind = batch.topic === deps.topics.claimsRaw ? 'claim' : 'household';
    const ctx = intake.context(now());
    const out = emptyOutbound();
    for (const message of messages) {
      const origin: Origin = {
        source: 'kafka',
        principal: null,
        receivedAt: ctx.receivedAt,
        kafka: { topic: batch.topic, partition: batch.partition, offset: message.offset },
      };
      const refused = decodeValue(message.value);
      if (kind === 'claim') intake.claim(refused, ctx, origin, out);
      else intake.household(refused, ctx, origin, out);
    }
    // Throws when Kafka does not acknowledge: kafkajs then retries the batch from the last committed
    // offset, so nothing is skipped.
    await deps.publisher.write(out);
    countWritten(deps.metrics, 'kafka', out);
    resolveOffset(last.offset);
    await commitOffsetsIfNecessary();
    await heartbeat();
    const refusedCount = out.claimDeadLetters.length + out.householdDeadLetters.length;
    if (refusedCount > 0)
      logger.warn(
        { topic: batch.topic, partition: batch.partition, refused: refusedCount, of: messages.length },
        'kafka input: items dead-lettered',
      );
  }

  return {
    async start() {
      await consumer.connect();
      // From the beginning for a new group: records written before the first ingest started are not lost.
      await consumer.subscribe({ topics: [deps.topics.claimsRaw, deps.topics.householdsRaw], fromBeginning: true });
      await consumer.run({
        eachBatchAutoResolve: false,
        // Commit as soon as a batch is resolved, which happens only after its writes are acknowledged.
        autoCommitThreshold: 1,
        eachBatch,
      });
    },
    async stop() {
      await consumer.disconnect();
    },
  };
}
