// The Kafka input: his.claims.raw.v1 and registry.households.v1, for feeds that write to Kafka instead of
// calling the API. Each batch is validated like an HTTP request; its events and dead letters are written
// (acknowledged by every in-sync replica), and only then are offsets committed: a crash before that replays
// the batch, which is harmless (resent claims are idempotent downstream). A message that is not JSON, not
// UTF-8 or empty goes to the dead-letter topic like any other refused input. When Kafka refuses a batch's
// write, the batch is written again message by message; a message whose records Kafka still refuses is
// parked on the dead-letter topic with the error (PUBLISH_REFUSED) and the partition goes on. Only when
// even that dead letter cannot be written (Kafka is down) does the batch fail, to be retried from the last
// message written: nothing is skipped, and no single message can stop a partition.
import type { Consumer, Kafka } from 'kafkajs';
import { runPartitionBatches, type PartitionBatchHandler } from '@warnline/runtime';
import type { Logger } from 'pino';
import type { Origin, RefusedInput } from './dead-letter.ts';
import { isIdentityStoreUnavailable } from './identity-keeping.ts';
import { countWritten, emptyOutbound, type Intake, type Outbound } from './intake.ts';
import type { Metrics } from './metrics.ts';
import type { ExchangeIntake } from './nhsa-exchange.ts';
import type { Publisher } from './publisher.ts';

export interface KafkaInputDeps {
  kafka: Kafka;
  groupId: string;
  topics: { claimsRaw: string; householdsRaw: string; nhsaRaw?: string };
  intake: Intake;
  /** Consumes `topics.nhsaRaw` (national-platform exchanges) when given. */
  exchanges?: ExchangeIntake;
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

function merged(outs: readonly Outbound[]): Outbound {
  const all = emptyOutbound();
  for (const o of outs) {
    all.claims.push(...o.claims);
    all.households.push(...o.households);
    all.claimDeadLetters.push(...o.claimDeadLetters);
    all.householdDeadLetters.push(...o.householdDeadLetters);
    for (const [pseudonym, identity] of o.identities) all.identities.set(pseudonym, identity);
  }
  return all;
}

const errorName = (err: unknown) => (err as Error)?.name ?? 'Error';

/** The partition-batch handler of the Kafka input (exported for tests: it needs no consumer). */
export function createBatchHandler(
  deps: Pick<KafkaInputDeps, 'topics' | 'intake' | 'exchanges' | 'publisher' | 'metrics' | 'logger' | 'now'>,
): PartitionBatchHandler {
  const { intake, logger, publisher } = deps;
  const now = deps.now ?? (() => new Date());

  return async (batch) => {
    const { messages } = batch;
    const kind = batch.topic === deps.topics.claimsRaw || batch.topic === deps.topics.nhsaRaw ? 'claim' : 'household';
    const exchanges = batch.topic === deps.topics.nhsaRaw ? deps.exchanges : undefined;
    const ctx = intake.context(now());
    const items = messages.map((message) => {
      const origin: Origin = {
        source: 'kafka',
        principal: null,
        receivedAt: ctx.receivedAt,
        kafka: { topic: batch.topic, partition: batch.partition, offset: message.offset },
      };
      const refused = decodeValue(message.value);
      const out = emptyOutbound();
      if (exchanges) exchanges.exchange(refused, ctx, origin, out);
      else if (kind === 'claim') intake.claim(refused, ctx, origin, out);
      else intake.household(refused, ctx, origin, out);
      return { message, origin, refused, out };
    });

    const all = merged(items.map((i) => i.out));
    let written = false;
    try {
      await publisher.write(all);
      written = true;
    } catch (err) {
      logger.warn(
        { topic: batch.topic, partition: batch.partition, err: { name: errorName(err) }, of: messages.length },
        'kafka input: batch write failed; writing its messages one by one',
      );
    }
    if (written) {
      countWritten(deps.metrics, 'kafka', all);
    } else {
      for (const item of items) {
        if (!batch.owned()) return 'interrupted';
        let out = item.out;
        try {
          await publisher.write(out);
        } catch (err) {
          // The identity store is away: parking would publish nothing revealable either; retry from here.
          if (isIdentityStoreUnavailable(err)) throw err;
          // Throws when even the dead letter is refused (Kafka down): the batch is retried from here.
          out = intake.parked(kind, item.refused, item.origin, errorName(err));
          await publisher.write(out);
          logger.error(
            {
              topic: batch.topic,
              partition: batch.partition,
              offset: item.message.offset,
              err: { name: errorName(err) },
            },
            'kafka input: message parked on the dead-letter topic (PUBLISH_REFUSED)',
          );
        }
        countWritten(deps.metrics, 'kafka', out);
        batch.done(item.message.offset);
        await batch.heartbeat();
      }
    }
    const refusedCount = all.claimDeadLetters.length + all.householdDeadLetters.length;
    if (refusedCount > 0)
      logger.warn(
        { topic: batch.topic, partition: batch.partition, refused: refusedCount, of: messages.length },
        'kafka input: items dead-lettered',
      );
    return 'complete';
  };
}

export function createKafkaInput(deps: KafkaInputDeps): KafkaInput {
  const consumer: Consumer = deps.kafka.consumer({ groupId: deps.groupId, allowAutoTopicCreation: false });
  return {
    async start() {
      const topics = [deps.topics.claimsRaw, deps.topics.householdsRaw];
      if (deps.exchanges && deps.topics.nhsaRaw !== undefined) topics.push(deps.topics.nhsaRaw);
      await runPartitionBatches({
        consumer,
        topics,
        // A new group starts from the beginning: records written before the first ingest started are not lost.
        fromBeginning: true,
        handle: createBatchHandler(deps),
      });
    },
    async stop() {
      await consumer.disconnect();
    },
  };
}
