// The one Kafka producer of the services: a send resolves only when Kafka has every record of it, from all
// in-sync replicas (acks = -1), and a send that fails is sent again, whole, by a new producer.
//
// Why kafkajs' own retries are off. Within one send kafkajs 2.2 retries only the brokers that have not
// answered yet; a partition whose leadership moved, during the retry, to a broker that had already answered
// is sent to nobody, and the send still resolves. Records acknowledged that way were missing from the topic
// after leader changes (a broker killed or restarted). kafkajs' idempotent producer also rewinds the sequence
// numbers of every partition of a request Kafka refused in part, including the partitions it did write, so
// the next write of the same size on that producer reuses a sequence number and the broker drops it as a
// duplicate while reporting success. So every kafkajs producer here makes one attempt per send; any failure
// throws its session away, and the send is repeated whole on a new one. Idempotence would dedupe only
// within one producer id, and a session never outlives its first failure, so it would have nothing to
// dedupe (and kafkajs refuses an idempotent producer without retries): a repeated send may store records
// twice, which downstream absorbs (same claim id and content → no effect). One request in flight per
// broker keeps a partition's records in the order they were sent; sends are serialised so that none is in
// flight on a session while it is being replaced.
import type { Kafka, Producer, ProducerBatch, ProducerConfig, ProducerRecord, RecordMetadata } from 'kafkajs';
import type { Logger } from 'pino';

/** What code that writes to Kafka needs of a producer: `SessionProducer` and kafkajs' `Producer` both have it. */
export interface KafkaSender {
  send(record: ProducerRecord): Promise<RecordMetadata[]>;
  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]>;
}

export interface SessionProducerOptions {
  /**
   * Longest wait for one send, in ms, including connecting new sessions and sending again after failures;
   * a send that is not acknowledged by then fails. Default: none, a send is made again until Kafka takes it
   * (a consumer's batch cannot be committed without its sends anyway; failing it would only replay it).
   */
  sendTimeoutMs?: number;
  /** First wait before a failed send is sent again, in ms; it doubles per attempt, up to 2 s. Default: 200. */
  resendBackoffMs?: number;
  logger?: Logger;
  /** Called once per discarded session (for a metric). Default: nothing. */
  onDiscard?: () => void;
}

/** A send that did not complete within `sendTimeoutMs`: whether Kafka stored it is unknown. */
export class SendTimeoutError extends Error {
  readonly retriable = true;
  constructor(timeoutMs: number, cause?: unknown) {
    super(`Kafka did not acknowledge within ${timeoutMs} ms`, { cause });
    this.name = 'SendTimeoutError';
  }
}

/**
 * kafkajs settings of every session: one attempt per send (see above), one request in flight per broker,
 * no topic creation. Exported for the test that holds the product to them.
 */
export const SESSION_PRODUCER_CONFIG: Readonly<ProducerConfig> = Object.freeze({
  idempotent: false,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  retry: { retries: 0 },
});
const DEFAULT_RESEND_BACKOFF_MS = 200;
const MAX_RESEND_BACKOFF_MS = 2_000;
/** A discarded session's disconnect is awaited this long at most: a dead broker must not hold up the next send. */
const DISCONNECT_WAIT_MS = 2_000;

function within<T>(work: Promise<T>, timeoutMs: number, totalMs: number): Promise<T> {
  if (!Number.isFinite(timeoutMs)) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeoutError(totalMs)), Math.max(0, timeoutMs));
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Whether sending again may succeed: a transient Kafka error (leader moved, broker gone, not enough
 * replicas), which kafkajs reports, with its retries off, wrapped as "number of retries exceeded".
 */
function worthResending(err: unknown): boolean {
  const e = err as { name?: unknown; retriable?: unknown };
  return e.name === 'KafkaJSNumberOfRetriesExceeded' || e.retriable === true;
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

  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    return this.serial((p) => p.send(record));
  }

  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    return this.serial((p) => p.sendBatch(batch));
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
    const run = this.tail.then(() => this.attempts(work));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async attempts<T>(work: (producer: Producer) => Promise<T>): Promise<T> {
    const totalMs = this.options.sendTimeoutMs ?? Number.POSITIVE_INFINITY;
    const deadline = Date.now() + totalMs;
    let backoff = this.options.resendBackoffMs ?? DEFAULT_RESEND_BACKOFF_MS;
    for (;;) {
      if (this.closed) throw new Error('the producer is closed');
      const session = (this.session ??= this.open());
      try {
        return await within(
          session.then((p) => work(p)),
          deadline - Date.now(),
          totalMs,
        );
      } catch (err) {
        await this.discard(session, err);
        if (err instanceof SendTimeoutError || !worthResending(err)) throw err;
        if (Date.now() + backoff >= deadline) throw new SendTimeoutError(totalMs, err);
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, MAX_RESEND_BACKOFF_MS);
      }
    }
  }

  private async open(): Promise<Producer> {
    const producer = this.kafka.producer({ ...SESSION_PRODUCER_CONFIG, retry: { ...SESSION_PRODUCER_CONFIG.retry } });
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
      'kafka send failed: producer session discarded, the send is repeated by a new producer',
    );
    const closing = session.then((p) => p.disconnect()).catch(() => undefined);
    await within(closing, DISCONNECT_WAIT_MS, DISCONNECT_WAIT_MS).catch(() => undefined);
  }
}
