// Writes what a delivery produced to Kafka in one call. The call resolves only after every in-sync
// replica has the records (acks = -1), so the HTTP 202 and the Kafka input's offset commit that follow it
// are promises we can keep.
import type { Message, TopicMessages } from 'kafkajs';
import type { DeadLetter } from '@warnline/contracts';
import type { KafkaSender } from '@warnline/runtime';
import type { Outbound } from './intake.ts';

export interface Publisher {
  write(out: Outbound): Promise<void>;
}

export interface PublisherTopics {
  claims: string;
  households: string;
  claimsDlq: string;
  householdsDlq: string;
}

/** Kafka did not acknowledge in time, or refused: nothing is known to be stored. */
export class PublishError extends Error {
  readonly retriable = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PublishError';
  }
}

function deadLetterMessage(d: DeadLetter): Message {
  // Key null: dead letters need no order, and any id in them is the sender's, not ours to partition by.
  // The headers match the accumulator's dead letters, so one consumer can read both.
  return { key: null, value: JSON.stringify(d), headers: { reason: d.code, source: d.source } };
}

/**
 * `producer` must bound each send's wait (a `SessionProducer` with `sendTimeoutMs`) and must be replaced
 * after a failed send, so that nothing written after a failure can be dropped as a duplicate.
 */
export function createPublisher(producer: KafkaSender, topics: PublisherTopics): Publisher {
  return {
    async write(out) {
      const topicMessages: TopicMessages[] = [];
      if (out.claims.length > 0) {
        // Key = person pseudonym: all of a person's claims and reversals land on one partition, in order,
        // so one accumulator instance at a time owns that person's monthly buckets and applies them with a
        // per-person script. Totals are per household, but a person's household can change (a registry
        // update) while their claims must not move: the accumulator sums the members' person buckets when
        // it evaluates a household, so the person is the unit that keeps totals exact across partitions,
        // instances and rebalances. Claims of a person with no household need no lookup to be keyed.
        topicMessages.push({
          topic: topics.claims,
          messages: out.claims.map((e) => ({ key: e.personId, value: JSON.stringify(e) })),
        });
      }
      if (out.households.length > 0) {
        // Key = householdId: the topic is compacted, so the latest record per household is kept.
        topicMessages.push({
          topic: topics.households,
          messages: out.households.map((e) => ({ key: e.householdId, value: JSON.stringify(e) })),
        });
      }
      if (out.claimDeadLetters.length > 0)
        topicMessages.push({ topic: topics.claimsDlq, messages: out.claimDeadLetters.map(deadLetterMessage) });
      if (out.householdDeadLetters.length > 0)
        topicMessages.push({ topic: topics.householdsDlq, messages: out.householdDeadLetters.map(deadLetterMessage) });
      if (topicMessages.length === 0) return;

      try {
        await producer.sendBatch({ topicMessages, acks: -1 });
      } catch (err) {
        throw new PublishError(`Kafka did not take the write: ${(err as Error).name}`, { cause: err });
      }
    },
  };
}
