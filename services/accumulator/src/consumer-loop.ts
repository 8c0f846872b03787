// The accumulator's Kafka input: households and claims, one partition batch at a time. A batch's offsets are
// committed only after every Redis, Kafka and BullMQ write it causes is done, so a crash or a rebalance
// replays it from the last commit; every step is idempotent, so a replay is harmless.
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { runPartitionBatches, type PartitionBatchHandler } from '@warnline/runtime';
import type { Logger } from 'pino';
import type { BatchGuard } from './batch-guard.ts';
import type { Metrics } from './metrics.ts';
import type { Processor } from './processor.ts';

export interface ConsumerLoopDeps {
  processor: Pick<Processor, 'households' | 'claims'>;
  guard: Pick<BatchGuard, 'run'>;
  metrics: Pick<Metrics, 'observeBatch'>;
  logger: Logger;
  topics: { households: string; claims: string };
}

/** Applies one batch, isolating and parking records that keep failing; throws only what a restart can cure. */
export function createBatchHandler(deps: ConsumerLoopDeps): PartitionBatchHandler {
  const { processor, guard, metrics, logger } = deps;
  return async (batch) => {
    const origin = { topic: batch.topic, partition: batch.partition };
    const started = performance.now();
    const kind = batch.topic === deps.topics.households ? 'household' : 'claim';
    const stats: Record<string, number> = {};
    const work = async (messages: readonly KafkaMessage[]) => {
      const done =
        kind === 'household'
          ? await processor.households(messages, origin, batch.heartbeat)
          : await processor.claims(messages, origin, batch.heartbeat);
      for (const [name, value] of Object.entries(done)) stats[name] = (stats[name] ?? 0) + value;
    };
    // A thrown error that a restart can cure (Redis or Kafka down) leaves the offsets where they were: kafkajs
    // retries the batch, then restarts the consumer from the last commit. Any other error is retried, then
    // isolated to its record, which is parked (batch-guard.ts): it never stops the partition.
    const isolated = await guard.run(kind, batch.messages, origin, work, batch.heartbeat);
    const seconds = (performance.now() - started) / 1000;
    metrics.observeBatch(kind, isolated ? 'isolated' : 'ok', seconds);
    logger.debug(
      { ...origin, messages: batch.messages.length, ms: Math.round(seconds * 1000), isolated, ...stats },
      'batch done',
    );
    return 'complete';
  };
}

export interface ConsumerLoopOptions extends ConsumerLoopDeps {
  /**
   * A new Kafka client, called once per member. kafkajs keeps a group's committed offsets in one object per
   * client: a member that rejoins clears it and fills in only its own topics, so members sharing a client
   * would wipe each other's, and the next commit of the other member crashes it for good ("Cannot read
   * properties of undefined"). Each member gets its own client.
   */
  newKafka: () => Kafka;
  groupId: string;
  sessionTimeoutMs: number;
  maxBytesPerPartition: number;
  partitionsConsumedConcurrently: number;
  /**
   * Group members this instance runs (KAFKA_CONSUMERS), each with its own share of the partitions. kafkajs
   * fetches again only once every batch of a fetch is done, and a claim batch is done only after its evaluation
   * round: with one member the instance would fetch nothing while a round runs. With two, one member's next
   * batches are fetched, decoded and applied while the round of the other's runs.
   */
  consumers: number;
  /** Runs before a batch's offsets are committed; throwing leaves them where they were. */
  beforeCommit?: () => Promise<void>;
  /** Called when the consumer crashed for good (kafkajs will not restart it). */
  onFatalCrash: (error: Error) => void;
}

/** Starts consuming households and claims; returns the consumers, for shutdown. */
export async function startConsumerLoop(options: ConsumerLoopOptions): Promise<Consumer[]> {
  const consumers: Consumer[] = [];
  for (let i = 0; i < options.consumers; i++) consumers.push(await startConsumer(options));
  return consumers;
}

async function startConsumer(options: ConsumerLoopOptions): Promise<Consumer> {
  const consumer = options.newKafka().consumer({
    groupId: options.groupId,
    sessionTimeout: options.sessionTimeoutMs,
    heartbeatInterval: Math.min(3000, options.sessionTimeoutMs / 3),
    maxBytesPerPartition: options.maxBytesPerPartition,
    maxBytes: Math.max(options.maxBytesPerPartition * 4, 10 * 1024 * 1024),
  });
  await runPartitionBatches({
    consumer,
    topics: [options.topics.households, options.topics.claims],
    fromBeginning: true,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
    handle: createBatchHandler(options),
    ...(options.beforeCommit ? { beforeCommit: options.beforeCommit } : {}),
    // kafkajs restarts the consumer after retriable failures (Redis or Kafka down: the batch is retried from
    // the last commit). After a failure it will not restart from, the process must not look healthy while it
    // consumes nothing.
    onCrashWithoutRestart: options.onFatalCrash,
  });
  return consumer;
}
