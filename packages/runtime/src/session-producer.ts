// A Kafka producer that is thrown away after any failed send. kafkajs' idempotent producer rewinds its
// sequence numbers for every partition of a produce request that Kafka refused in part, including the
// partitions it did write; the next write of the same size then reuses a sequence number and the broker
// drops it as a duplicate while reporting success. A new producer has a new producer id and fresh
// sequences, so nothing sent after a failure can be mistaken for something sent before it. Sends are
// serialised so that no send is in flight on a producer while it is being replaced.
//
// kafkajs also loses records inside one send that succeeds: when it retries a request after a leader moved
// (a broker restarting, cleanly or not), it skips every broker that had already answered that send, so the
// partitions that moved to such a broker are never written, and the send resolves without them. So every
// message is given its partition here (kafkajs' own default partitioner, on the topic's partition count), and
// the partitions missing from the answer are sent again, on a new session.
import {
  Partitioners,
  type Kafka,
  type Message,
  type Producer,
  type ProducerBatch,
  type ProducerConfig,
  type ProducerRecord,
  type RecordMetadata,
  type TopicMessages,
} from 'kafkajs';
import type { Logger } from 'pino';

/** What code that writes to Kafka needs of a producer: `SessionProducer` and kafkajs' `Producer` both have it. */
export interface KafkaSender {
  send(record: ProducerRecord): Promise<RecordMetadata[]>;
  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]>;
}

export interface SessionProducerOptions {
  /** kafkajs producer settings of every session. Default: idempotent, one request in flight, no topic creation. */
  producer?: ProducerConfig;
  /**
   * Longest wait for one send (including connecting a new session), in ms; a send that takes longer fails
   * and its session is discarded. Default: no limit of its own (kafkajs' request timeouts and retries apply).
   */
  sendTimeoutMs?: number;
  logger?: Logger;
  /** Called once per discarded session (for a metric). Default: nothing. */
  onDiscard?: () => void;
}

/** A send whose partitions kept missing from Kafka's answers: part of it may be stored, part not. */
export class PartitionsSkippedError extends Error {
  readonly retriable = true;
  constructor(readonly partitions: readonly string[]) {
    super(`Kafka's answers left out ${partitions.join(', ')}`);
    this.name = 'PartitionsSkippedError';
  }
}

/** How often the partitions left out of an answer are sent again (each time on a new session). */
const SKIPPED_RESENDS = 3;

/** A send that did not complete within `sendTimeoutMs`: whether Kafka stored it is unknown. */
export class SendTimeoutError extends Error {
  readonly retriable = true;
  constructor(timeoutMs: number) {
    super(`Kafka did not acknowledge within ${timeoutMs} ms`);
    this.name = 'SendTimeoutError';
  }
}

const DEFAULT_PRODUCER: ProducerConfig = { idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false };
/** A discarded session's disconnect is awaited this long at most: a dead broker must not hold up the next send. */
const DISCONNECT_WAIT_MS = 2_000;

function within<T>(work: Promise<T>, timeoutMs: number | undefined): Promise<T> {
  if (timeoutMs === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeoutError(timeoutMs)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class SessionProducer implements KafkaSender {
  private session: Promise<Producer> | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private discarded = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: SessionProducerOptions = {},
  ) {}

  /** Sessions discarded after a failed send since start. */
  get discardedSessions(): number {
    return this.discarded;
  }

  /** Connects the first session, so that a broker that is not there fails the start, not the first send. */
  async connect(): Promise<void> {
    await this.serial(async () => undefined);
  }

  send({ topic, messages, ...rest }: ProducerRecord): Promise<RecordMetadata[]> {
    return this.sendBatch({ ...rest, topicMessages: [{ topic, messages }] });
  }

  /** Sends, then sends again on a new session whatever partitions Kafka's answer left out. */
  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    let pending: TopicMessages[] = [...(batch.topicMessages ?? [])];
    const answers: RecordMetadata[] = [];
    for (let round = 0; ; round++) {
      const answer = await this.serial(async (p) => {
        // The partition-count lookup is part of the send, within its time limit.
        pending = await this.withPartitions(pending);
        return p.sendBatch({ ...batch, topicMessages: pending });
      });
      answers.push(...answer);
      // Without acknowledgements (acks 0) Kafka answers nothing, so there is nothing to compare.
      if (batch.acks === 0) return answers;
      const answered = new Set(answer.map((m) => `${m.topicName}/${m.partition}`));
      pending = pending
        .map(({ topic, messages }) => ({
          topic,
          messages: messages.filter((m) => !answered.has(`${topic}/${m.partition}`)),
        }))
        .filter((t) => t.messages.length > 0);
      if (pending.length === 0) return answers;
      const skipped = [...new Set(pending.flatMap((t) => t.messages.map((m) => `${t.topic}/${m.partition}`)))];
      this.options.logger?.warn(
        { skipped },
        'kafka answered a send without some of its partitions: sending them again',
      );
      // The session that skipped them goes, as after any failure; the next round uses a new producer id.
      await this.renew(new PartitionsSkippedError(skipped));
      if (round + 1 >= SKIPPED_RESENDS) throw new PartitionsSkippedError(skipped);
    }
  }

  /** Every message with the partition kafkajs' default partitioner would have chosen for it. */
  private async withPartitions(topicMessages: readonly TopicMessages[]): Promise<TopicMessages[]> {
    const out: TopicMessages[] = [];
    for (const { topic, messages } of topicMessages) {
      if (messages.every((m) => m.partition !== undefined)) {
        out.push({ topic, messages });
        continue;
      }
      const count = await this.partitionCount(topic);
      const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({
        partitionId,
        leader: 0,
        replicas: [],
        isr: [],
        partitionErrorCode: 0,
      }));
      out.push({
        topic,
        messages: messages.map((message): Message =>
          message.partition === undefined
            ? { ...message, partition: this.partitioner({ topic, partitionMetadata, message }) }
            : message,
        ),
      });
    }
    return out;
  }

  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly partitionCounts = new Map<string, Promise<number>>();

  /** A topic's partition count, asked once (again after a failed lookup). */
  private partitionCount(topic: string): Promise<number> {
    let count = this.partitionCounts.get(topic);
    if (!count) {
      count = (async () => {
        const admin = this.kafka.admin();
        await admin.connect();
        try {
          const meta = await admin.fetchTopicMetadata({ topics: [topic] });
          return meta.topics[0]!.partitions.length;
        } finally {
          await admin.disconnect();
        }
      })();
      this.partitionCounts.set(topic, count);
      count.catch(() => this.partitionCounts.delete(topic));
    }
    return count;
  }

  /** Waits for the sends already queued, then disconnects. Later sends fail. */
  async disconnect(): Promise<void> {
    this.closed = true;
    await this.tail;
    const session = this.session;
    this.session = null;
    if (session) await (await session.catch(() => null))?.disconnect();
  }

  private serial<T>(work: (producer: Producer) => Promise<T>): Promise<T> {
    const run = this.tail.then(() => this.attempt(work));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async attempt<T>(work: (producer: Producer) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('the producer is closed');
    const session = (this.session ??= this.open());
    try {
      return await within(
        session.then((p) => work(p)),
        this.options.sendTimeoutMs,
      );
    } catch (err) {
      await this.discard(session, err);
      throw err;
    }
  }

  /** Discards the current session, in turn with the sends: the next send opens a new one. */
  private renew(reason: Error): Promise<void> {
    const run = this.tail.then(() => (this.session ? this.discard(this.session, reason) : undefined));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async open(): Promise<Producer> {
    const producer = this.kafka.producer(this.options.producer ?? DEFAULT_PRODUCER);
    try {
      await producer.connect();
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      throw err;
    }
    return producer;
  }

  private async discard(session: Promise<Producer>, err: unknown): Promise<void> {
    if (this.session !== session) return;
    this.session = null;
    this.discarded += 1;
    this.options.onDiscard?.();
    this.options.logger?.warn(
      { err: { name: (err as Error).name, message: (err as Error).message } },
      'kafka send failed: producer session discarded, the next send uses a new producer id',
    );
    const closing = session.then((p) => p.disconnect()).catch(() => undefined);
    await within(closing, DISCONNECT_WAIT_MS).catch(() => undefined);
  }
}
