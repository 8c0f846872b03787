// Keeps a record that fails for a reason a restart cannot cure from stopping its partition (Kafka Streams'
// log-and-continue to a dead-letter queue). A batch that throws such an error is retried a few times; then
// its records are processed one by one, in offset order, and one that still throws after the same number of
// attempts is parked on accumulator.parked.v1 with its error, while the others go on. Errors a restart can
// cure (Redis or Kafka unavailable) are thrown at once: kafkajs retries the batch from the last commit and
// nothing is parked.
import type { KafkaMessage } from 'kafkajs';
import type { KafkaSender } from '@warnline/runtime';
import type { Logger } from 'pino';
import type { Origin } from './dead-letters.ts';
import type { Metrics, RecordKind } from './metrics.ts';
import { errorText, isTransient, parkCode, parkedMessage } from './parking.ts';

export interface BatchGuardDeps {
  producer: KafkaSender;
  parkedTopic: string;
  logger: Logger;
  metrics: Metrics;
  /** Attempts of a batch, then of each of its records, before the failing record is parked. */
  attempts: number;
  /** Milliseconds before the second attempt; doubles with each further one. */
  backoffMs: number;
}

export class BatchGuard {
  constructor(private readonly deps: BatchGuardDeps) {}

  /**
   * Runs `work` over the batch; returns true when it had to isolate records (whether or not one was parked).
   * `heartbeat` runs between attempts, so that a slow isolation keeps the partition.
   */
  async run(
    kind: RecordKind,
    messages: readonly KafkaMessage[],
    origin: Origin,
    work: (messages: readonly KafkaMessage[]) => Promise<unknown>,
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    const failed = await this.attempt(messages, origin, work, heartbeat);
    if (failed === null) return false;
    this.deps.logger.warn(
      { ...origin, messages: messages.length, attempts: this.deps.attempts, err: errorText(failed) },
      'batch keeps failing: processing its records one by one',
    );
    for (const message of messages) {
      const error = await this.attempt([message], origin, work, heartbeat);
      if (error !== null) await this.park(kind, message, origin, error);
    }
    return true;
  }

  /** Up to `attempts` runs; null when one succeeded, else the last error. Transient errors are thrown. */
  private async attempt(
    messages: readonly KafkaMessage[],
    origin: Origin,
    work: (messages: readonly KafkaMessage[]) => Promise<unknown>,
    heartbeat: () => Promise<void>,
  ): Promise<unknown> {
    let last: unknown = null;
    for (let attempt = 1; attempt <= this.deps.attempts; attempt++) {
      if (attempt > 1) {
        await new Promise((resolve) => setTimeout(resolve, this.deps.backoffMs * 2 ** (attempt - 2)));
        await heartbeat();
      }
      try {
        await work(messages);
        return null;
      } catch (err) {
        if (isTransient(err)) throw err;
        last = err;
        this.deps.logger.debug({ ...origin, attempt, err: errorText(err) }, 'attempt failed');
      }
    }
    return last;
  }

  private async park(kind: RecordKind, message: KafkaMessage, origin: Origin, err: unknown): Promise<void> {
    const parked = parkedMessage(message, origin, err, this.deps.attempts, new Date());
    await this.deps.producer.send({ topic: this.deps.parkedTopic, acks: -1, messages: [parked] });
    this.deps.metrics.parked(kind, parkCode(err));
    this.deps.logger.error(
      {
        ...origin,
        offset: message.offset,
        code: parkCode(err),
        err: errorText(err),
        attempts: this.deps.attempts,
        parkedTopic: this.deps.parkedTopic,
      },
      'record parked: it keeps failing; replay it once the cause is fixed',
    );
  }
}
