// The partition loop every Kafka-consuming service runs: one batch of one partition at a time, offsets
// resolved by hand and committed only once the batch's writes are done. A crash before the commit replays
// the batch from the last commit, so every handler must be idempotent; nothing is ever skipped.
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';

/** One partition's batch as a handler sees it (never empty). */
export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: readonly KafkaMessage[];
  lastOffset: string;
  /** Tells the group this consumer is alive; call it between slow steps so the partition is kept. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or the partition was taken away by a rebalance. */
  owned(): boolean;
  /**
   * Marks every message up to and including `offset` as done, for a handler that makes progress message by
   * message. A handler that finishes the whole batch need not call it.
   */
  done(offset: string): void;
}

/**
 * `complete`: every message of the batch is done (its writes acknowledged); the loop resolves the batch's
 * last offset and commits. `interrupted`: the handler stopped early because the partition is no longer
 * owned; only what it marked with `done` counts, and the loop commits nothing more.
 * Throwing leaves the offsets where they were: kafkajs retries the batch, then restarts from the last commit.
 */
export type BatchOutcome = 'complete' | 'interrupted';

export type PartitionBatchHandler = (batch: PartitionBatch) => Promise<BatchOutcome>;

/**
 * The kafkajs `eachBatch` callback around a handler. Exported so a handler can be driven without a broker.
 *
 * `membership` counts the rebalances the consumer has gone through (runPartitionBatches keeps it). kafkajs
 * rejoins the group while other partitions' batches are still being handled, and replaces the offsets it
 * keeps with those of the new assignment: a batch that began before the rebalance and resolves an offset of
 * a topic it no longer holds throws inside kafkajs, and the consumer crashes for good (tulios/kafkajs#1366);
 * one of a partition now someone else's would move that owner's commit. Such a batch moves no offset:
 * whoever owns the partition now replays it from the last commit, and every handler is idempotent.
 */
export function eachPartitionBatch(
  handle: PartitionBatchHandler,
  beforeCommit?: () => Promise<void>,
  membership: () => number = () => 0,
): (payload: EachBatchPayload) => Promise<void> {
  return async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
    if (batch.messages.length === 0 || !isRunning() || isStale()) return;
    const generation = membership();
    const current = () => membership() === generation;
    const lastOffset = batch.lastOffset();
    let resolved: string | null = null;
    const outcome = await handle({
      topic: batch.topic,
      partition: batch.partition,
      messages: batch.messages,
      lastOffset,
      heartbeat,
      owned: () => isRunning() && !isStale() && current(),
      done(offset) {
        if (!current()) return;
        resolveOffset(offset);
        resolved = offset;
      },
    });
    if (outcome === 'interrupted') return;
    // Offsets move only here, after every write of the batch is done (and, when asked, durable).
    await beforeCommit?.();
    if (!current()) return;
    if (resolved !== lastOffset) resolveOffset(lastOffset);
    await commitOffsetsIfNecessary();
    await heartbeat();
  };
}

export interface PartitionBatchesOptions {
  consumer: Consumer;
  topics: string[];
  /** Where a new consumer group starts: from the beginning, so records written before it first ran are kept. */
  fromBeginning: boolean;
  /** Partitions handled at once by this instance (default 1). Batches of one partition never overlap. */
  partitionsConsumedConcurrently?: number;
  handle: PartitionBatchHandler;
  /**
   * Runs after a batch's handler and before its offsets are committed; throwing leaves them where they were.
   * The accumulator waits here for its Redis writes to reach the replicas (waitForReplicas).
   */
  beforeCommit?: () => Promise<void>;
  /**
   * Called when the consumer crashed with an error kafkajs will not restart from (it restarts by itself after
   * retriable ones). Left out, such a consumer simply stops.
   */
  onCrashWithoutRestart?: (error: Error) => void;
}

/** Connects, subscribes and runs the loop; resolves once the consumer is running. */
export async function runPartitionBatches(options: PartitionBatchesOptions): Promise<void> {
  const { consumer, onCrashWithoutRestart } = options;
  if (onCrashWithoutRestart)
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) onCrashWithoutRestart(payload.error);
    });
  // A rebalance starts (REBALANCING) or ends (GROUP_JOIN; a rejoin after UNKNOWN_MEMBER_ID has no start).
  let rebalances = 0;
  consumer.on(consumer.events.REBALANCING, () => void rebalances++);
  consumer.on(consumer.events.GROUP_JOIN, () => void rebalances++);
  await consumer.connect();
  await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning });
  await consumer.run({
    eachBatchAutoResolve: false,
    // Commit as soon as a batch is resolved (threshold 1), never on a timer: resolved means fully written.
    autoCommitThreshold: 1,
    ...(options.partitionsConsumedConcurrently === undefined
      ? {}
      : { partitionsConsumedConcurrently: options.partitionsConsumedConcurrently }),
    eachBatch: eachPartitionBatch(options.handle, options.beforeCommit, () => rebalances),
  });
}
