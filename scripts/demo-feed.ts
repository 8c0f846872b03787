// The synthetic city both the demo walk-through and `scripts/start.sh --demo` feed: households from the
// registry, then a HIS feed of claims (two households in acute trouble, so every level shows), sent through
// ingest over HTTP and waited for until the accumulator has taken all of it.
import type { Kafka } from 'kafkajs';
import { shanghaiDate } from '@warnline/contracts';
import { waitFor } from '@warnline/infra';
import { topicNames } from '@warnline/runtime';
import { generateFeed, generateTriggers, type Feed } from '@warnline/synthetic';
import { consumerLag } from '@warnline/test';

type Say = (line: string) => void;

export interface DemoFeed extends Feed {
  /** The feed's street codes, sorted. */
  streets: string[];
}

/** The city of the seed: `households` households on 4 streets, claims up to yesterday (Shanghai). */
export function demoFeed(seed: number, households: number): DemoFeed {
  const endDate = shanghaiDate(new Date(Date.now() - 86_400_000));
  const generated = generateFeed({ seed, households, endDate, streets: 4 });
  const feedStreets = [...new Set(generated.households.map((h) => h.streetCode))].sort();
  // Two households with one large inpatient bill against a small income, so the demo shows `action` too.
  const triggers = [0, 2].map(
    (i, k) =>
      generateTriggers({
        tag: k + 1,
        count: 1,
        serviceDate: endDate,
        streetCode: feedStreets[i % feedStreets.length]!,
      })[0]!,
  );
  const all = [...generated.households, ...triggers.map((t) => t.household)];
  return {
    households: all,
    claims: [...generated.claims, ...triggers.map((t) => t.claim)],
    streets: [...new Set(all.map((h) => h.streetCode))].sort(),
  };
}

async function post(url: string, token: string, body: unknown): Promise<{ accepted: number; rejected: unknown[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (res.status !== 202) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { accepted: number; rejected: unknown[] };
}

export interface FeedTarget {
  ingestUrl: string;
  registryToken: string;
  hospitalToken: string;
  kafka: Kafka;
  /** The accumulator's consumer group and the topic namespace, to wait until it has read everything. */
  consumerGroup: string;
  namespace: string;
}

/** Households first (so claims count for their household, not a household of one), then the claims. */
export async function sendFeed(feed: Feed, target: FeedTarget, say: Say): Promise<void> {
  const topics = topicNames(target.namespace);
  const hh = await post(`${target.ingestUrl}/v1/households`, target.registryToken, feed.households);
  say(`[demo] registry → ingest: ${hh.accepted} households accepted, ${hh.rejected.length} rejected`);
  await waitFor(
    'households processed',
    async () => (await consumerLag(target.kafka, target.consumerGroup, [topics.households])) === 0,
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  let accepted = 0;
  let rejected = 0;
  for (let i = 0; i < feed.claims.length; i += 500) {
    const r = await post(`${target.ingestUrl}/v1/claims`, target.hospitalToken, feed.claims.slice(i, i + 500));
    accepted += r.accepted;
    rejected += r.rejected.length;
  }
  say(`[demo] HIS → ingest: ${accepted} claims accepted, ${rejected} rejected`);
  await waitFor(
    'claims processed',
    async () => (await consumerLag(target.kafka, target.consumerGroup, [topics.claims])) === 0,
    { timeoutMs: 120_000, intervalMs: 250 },
  );
}
