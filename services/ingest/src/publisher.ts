// Writes what a delivery produced to Kafka. Each send resolves only after every in-sync replica has the
// records (acks = -1), so the HTTP 202 and the Kafka input's offset commit that follow are promises we can
// keep. A delivery is written in requests of at most MAX_REQUEST_BYTES, in order (events, then dead
// letters): a full batch of dead letters is larger than Kafka takes in one request. When one request fails
// the write fails; what earlier requests stored stays stored, and writing the same delivery again is
// harmless (a resent claim or household has no effect downstream; a dead letter is written twice).
import type { Message, TopicMessages } from 'kafkajs';
import { CodedError, deadLetterRecord, SERVICE_ERRORS, type DeadLetter } from '@warnline/contracts';
import type { KafkaSender } from '@warnline/runtime';
import type { Outbound } from './intake.ts';
import { MAX_REQUEST_BYTES, recordBytes } from './record-size.ts';

export interface Publisher {
  write(out: Outbound): Promise<void>;
}

export interface PublisherTopics {
  claims: string;
  households: string;
  claimsDlq: string;
  householdsDlq: string;
}

/** Kafka did not acknowledge in time, or refused: part of the delivery may be stored, none is known to be. */
export class PublishError extends CodedError<'PUBLISH_FAILED'> {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PUBLISH_FAILED', SERVICE_ERRORS.PUBLISH_FAILED, { message, cause: options?.cause });
    this.name = 'PublishError';
  }
}

function deadLetterMessage(d: DeadLetter): Message {
  // Key null: HTTP input has none, and a raw feed's key is the sender's and may hold an identity number.
  const { key, value, headers } = deadLetterRecord(d, null);
  return { key, value, headers: { ...headers } };
}

/** The records of a delivery in the order they are written. */
function records(out: Outbound, topics: PublisherTopics): { topic: string; message: Message }[] {
  return [
    // Key = person pseudonym: all of a person's claims and reversals land on one partition, in order,
    // so one accumulator instance at a time owns that person's monthly buckets and applies them with a
    // per-person script. Totals are per household, but a person's household can change (a registry
    // update) while their claims must not move: the accumulator sums the members' person buckets when
    // it evaluates a household, so the person is the unit that keeps totals exact across partitions,
    // instances and rebalances. Claims of a person with no household need no lookup to be keyed.
    ...out.claims.map((e) => ({ topic: topics.claims, message: { key: e.personId, value: JSON.stringify(e) } })),
    // Key = householdId: the topic is compacted, so the latest record per household is kept.
    ...out.households.map((e) => ({
      topic: topics.households,
      message: { key: e.householdId, value: JSON.stringify(e) },
    })),
    ...out.claimDeadLetters.map((d) => ({ topic: topics.claimsDlq, message: deadLetterMessage(d) })),
    ...out.householdDeadLetters.map((d) => ({ topic: topics.householdsDlq, message: deadLetterMessage(d) })),
  ];
}

/** Consecutive records grouped into requests of at most MAX_REQUEST_BYTES (one oversized record alone). */
export function requests(list: { topic: string; message: Message }[]): TopicMessages[][] {
  const out: TopicMessages[][] = [];
  let current: TopicMessages[] = [];
  let size = 0;
  for (const { topic, message } of list) {
    const bytes = recordBytes(message);
    if (current.length > 0 && size + bytes > MAX_REQUEST_BYTES) {
      out.push(current);
      current = [];
      size = 0;
    }
    const last = current[current.length - 1];
    if (last?.topic === topic) last.messages.push(message);
    else current.push({ topic, messages: [message] });
    size += bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * `producer` must bound each send's wait (a `SessionProducer` with `sendTimeoutMs`) and must be replaced
 * after a failed send, so that nothing written after a failure can be dropped as a duplicate.
 */
export function createPublisher(producer: KafkaSender, topics: PublisherTopics): Publisher {
  return {
    async write(out) {
      for (const topicMessages of requests(records(out, topics))) {
        try {
          await producer.sendBatch({ topicMessages, acks: -1 });
        } catch (err) {
          throw new PublishError(`Kafka did not take the write: ${(err as Error).name}`, { cause: err });
        }
      }
    },
  };
}
