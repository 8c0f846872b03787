// Writes validated events to Kafka. A send resolves only after every in-sync replica has the records
// (acks = -1), so the HTTP 202 that follows it is a promise we can keep.
import type { Producer } from 'kafkajs';
import type { ClaimEvent, HouseholdEvent } from '@warnline/contracts';

export interface Publisher {
  claims(events: ClaimEvent[]): Promise<void>;
  households(events: HouseholdEvent[]): Promise<void>;
}

export function createPublisher(producer: Producer, topics: { claims: string; households: string }): Publisher {
  return {
    async claims(events) {
      if (events.length === 0) return;
      // Key = person pseudonym: a person's claims and reversals land on one partition, in order, and the
      // accumulator's per-person Lua script is the only writer of that person's buckets.
      await producer.send({
        topic: topics.claims,
        acks: -1,
        messages: events.map((e) => ({ key: e.personId, value: JSON.stringify(e) })),
      });
    },
    async households(events) {
      if (events.length === 0) return;
      // Key = householdId: the topic is compacted, so the latest record per household is kept.
      await producer.send({
        topic: topics.households,
        acks: -1,
        messages: events.map((e) => ({ key: e.householdId, value: JSON.stringify(e) })),
      });
    },
  };
}
