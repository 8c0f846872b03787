// What the fault tests and the soak share: a synthetic feed cut into segments at person boundaries (so a
// reversal never waits in a later segment for its original), a sender that keeps retrying through broker
// faults (the services' producer: acks=all, a failed send repeated whole; a resend after an unknown outcome is a
// duplicate the claim id absorbs), the wait for the totals to the fen, and the cluster chores around a run.
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { ClaimEvent, HouseholdEvent } from '@warnline/contracts';
import { personStateKeys } from '@warnline/contracts';
import { waitFor, waitForReplicatedCluster, type ClusterInfra } from '@warnline/infra';
import { scanTargets, SessionProducer } from '@warnline/runtime';
import { generateClaims, generateHouseholds, NetTotals } from '@warnline/synthetic';
import { cachedPseudonymiser, claimEvent, feedOptions, householdEvent } from './feed.ts';
import { accumulatorMonths, checkTotals, type TotalsCheck } from './redis-state.ts';

export interface SegmentedFeed {
  households: HouseholdEvent[];
  /** Each segment: whole persons' claims, in the generator's order. */
  segments: ClaimEvent[][];
}

/** About `claims` claims in `segments` segments of about equal size, each ending at a person boundary. */
export function segmentedFeed(o: {
  seed: number;
  claims: number;
  segments: number;
  endDate: string;
  pseudonymKey: string;
}): SegmentedFeed {
  const options = feedOptions(o.seed, o.claims, o.endDate);
  const raw = generateHouseholds(options);
  const pseudonym = cachedPseudonymiser(o.pseudonymKey);
  const receivedAt = new Date().toISOString();
  const size = Math.ceil(o.claims / o.segments);
  const segments: ClaimEvent[][] = [[]];
  let lastPerson: string | undefined;
  let count = 0;
  for (const claim of generateClaims(options, raw)) {
    const current = segments[segments.length - 1]!;
    if (claim.personId !== lastPerson && current.length >= size) {
      if (segments.length === o.segments) break;
      segments.push([]);
    }
    lastPerson = claim.personId;
    segments[segments.length - 1]!.push(claimEvent(claim, pseudonym(claim.personId), receivedAt));
    if (++count >= o.claims * 2) break;
  }
  return { households: raw.map((h) => householdEvent(h, pseudonym, receivedAt)), segments };
}

/**
 * Sends events in chunks through the services' producer (SessionProducer: acks from every in-sync replica,
 * a failed send repeated whole by a new producer), each chunk sent again until the cluster takes it (a
 * broker kill can outlast one send's time limit). Calls `between` after each chunk: that is where a test
 * injects its fault mid-stream. `retries` counts the chunks sent again and `discardedSessions` the producer
 * sessions replaced after a failed attempt.
 */
export async function sendThroughFaults<T extends { personId?: string; householdId?: string }>(
  kafka: Kafka,
  topic: string,
  events: readonly T[],
  o: { chunk?: number; between?: (sent: number) => Promise<void>; onSent?: (chunk: readonly T[]) => void } = {},
): Promise<{ retries: number; discardedSessions: number }> {
  const chunk = o.chunk ?? 200;
  const producer = new SessionProducer(kafka);
  let retries = 0;
  try {
    for (let i = 0; i < events.length; i += chunk) {
      const part = events.slice(i, i + chunk);
      const messages = part.map((e) => ({ key: e.personId ?? e.householdId ?? null, value: JSON.stringify(e) }));
      for (;;) {
        try {
          await producer.send({ topic, acks: -1, messages });
          break;
        } catch {
          retries++;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      o.onSent?.(part);
      await o.between?.(i + part.length);
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  return { retries, discardedSessions: producer.discardedSessions };
}

/** Polls the totals check until every person's months match the oracle to the fen, or the time runs out. */
export async function waitForTotals(
  redis: Redis,
  oracle: NetTotals,
  redisPrefix: string,
  timeoutMs: number,
): Promise<TotalsCheck> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const check = await checkTotals(
      redis,
      oracle,
      (p) => personStateKeys.person(redisPrefix, p),
      accumulatorMonths,
    ).catch(() => null);
    if (check?.match || Date.now() > deadline) {
      if (check) return check;
      throw new Error('the totals could not be read');
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** Messages a topic holds (high minus low watermark over its partitions). */
export async function messagesOn(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until every partition of the topics has all its replicas in sync: after a broker's restart, the
 * state in which the next broker may go down without a partition dropping below min.insync.replicas.
 */
export async function waitForFullIsr(kafka: Kafka, topics: readonly string[], timeoutMs = 120_000): Promise<void> {
  await waitFor(
    `every partition of ${topics.join(', ')} to have all its replicas in sync`,
    async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const meta = await admin.fetchTopicMetadata({ topics: [...topics] });
        return meta.topics.every((t) => t.partitions.every((p) => p.isr.length === p.replicas.length));
      } catch {
        return false;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
    { timeoutMs, intervalMs: 1_000 },
  );
}

/** Deletes a run's topics (`<namespace>*`) and its keys under the prefixes on every node of the cluster. */
export async function removeClusterRun(
  cluster: ClusterInfra,
  kafka: Kafka | undefined,
  redis: Redis | undefined,
  namespace: string,
  prefixes: readonly string[],
): Promise<void> {
  const admin = kafka?.admin();
  if (admin) {
    await admin.connect();
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(namespace));
    await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.disconnect();
  }
  if (!redis) return;
  await waitForReplicatedCluster(cluster);
  for (const node of scanTargets(redis))
    for (const prefix of prefixes) {
      const stream = node.scanStream({ match: `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:*`, count: 1000 });
      // One key per command: the keys of one node still lie in many slots.
      for await (const keys of stream as AsyncIterable<string[]>) for (const key of keys) await node.unlink(key);
    }
}

export { NetTotals };
