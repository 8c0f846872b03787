// Throughput of one accumulator instance: pre-fills a fresh claims.v1 with synthetic ClaimEvents (packages/
// synthetic, pseudonymised), starts the service as a process, and times it from ready to consumer lag 0.
// Then checks the Redis totals against the claims, to the fen, and removes its topics and keys.
//
//   npx tsx services/accumulator/bench/throughput.ts --claims 200000 [--partitions 6] [--concurrency 1]
//     [--shuffle] (time-ordered-like delivery: a person's claims spread over the whole stream)
//     [--keep] (leave the topics and keys for inspection) [--profile DIR] (node --cpu-prof of the service)
//     [--node-options "--max-semi-space-size=64"] (passed to the service's node)
//   BENCH_LOG_LEVEL=debug prints the last batches' step timings (decode, apply, evaluate: the wait for its round).
import { createHmac } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import { freePort, startService } from '@warnline/infra';
import { oldestRetainedMonth, type ClaimEvent, type HouseholdEvent } from '@warnline/contracts';
import { ensureTopics, topicNames, topicSpecs } from '@warnline/runtime';
import { generateClaims, generateHouseholds } from '@warnline/synthetic';
import { consumerLag, uniqueId, uniqueNamespace } from '@warnline/test';
import { createKeys } from '../src/keys.ts';
import { expectedTotals, shuffled, totalsOfHash } from '../test/support.ts';

const { values: args } = parseArgs({
  options: {
    claims: { type: 'string', default: '200000' },
    partitions: { type: 'string', default: '6' },
    concurrency: { type: 'string', default: '1' },
    shuffle: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    profile: { type: 'string' },
    'node-options': { type: 'string', default: '' },
  },
});
const target = Number(args.claims);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const END = '2024-06-30';
const say = (line: string) => process.stdout.write(`${line}\n`);

// 1. The feed: about 36 claims per household (12 per person a year, heavy-tailed), pseudonymised as ingest does.
const pseudonym = (id: string) =>
  `p_${createHmac('sha256', 'bench-key').update(`resident\u0000${id}`).digest('hex').slice(0, 32)}`;
const options = { seed: 20240630, households: Math.ceil(target / 30), endDate: END };
const rawHouseholds = generateHouseholds(options);
const receivedAt = new Date().toISOString();
const households: HouseholdEvent[] = rawHouseholds.map((h) => ({
  ...h,
  members: h.members.map((m) => ({ personId: pseudonym(m.personId) })),
  receivedAt,
}));
let claims: ClaimEvent[] = [];
for (const c of generateClaims(options, rawHouseholds)) {
  claims.push({ ...c, personId: pseudonym(c.personId), receivedAt } as ClaimEvent);
  if (claims.length >= target) break;
}
if (args.shuffle) claims = shuffled(claims, 99);
say(
  `[bench] ${claims.length} claims, ${households.length} households, ${args.partitions} partitions, shuffle=${args.shuffle}`,
);

// 2. Pre-fill.
const topics = topicNames(uniqueNamespace());
const kafka = new Kafka({ clientId: 'acc-bench', brokers, logLevel: logLevel.NOTHING });
await ensureTopics(kafka, topicSpecs(topics, Number(args.partitions)));
const producer = kafka.producer();
await producer.connect();
const fillStart = performance.now();
// Registry first, so the claims count for their households (the consumer reads both topics).
for (let i = 0; i < households.length; i += 1000) {
  await producer.send({
    topic: topics.households,
    acks: 1,
    messages: households.slice(i, i + 1000).map((h) => ({ key: h.householdId, value: JSON.stringify(h) })),
  });
}
const sends: Promise<unknown>[] = [];
for (let i = 0; i < claims.length; i += 2000) {
  sends.push(
    producer.send({
      topic: topics.claims,
      acks: 1,
      messages: claims.slice(i, i + 2000).map((c) => ({ key: c.personId, value: JSON.stringify(c) })),
    }),
  );
  if (sends.length >= 8) await Promise.all(sends.splice(0));
}
await Promise.all(sends);
await producer.disconnect();
say(`[bench] pre-filled in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);

// 3. One instance, timed from ready to lag 0.
const group = uniqueId('bench');
const prefix = uniqueId('wlb');
const queuePrefix = uniqueId('wlbq');
const port = await freePort();
const service = await startService(
  'accumulator',
  {
    KAFKA_BROKERS: brokers.join(','),
    REDIS_URL: redisUrl,
    TOPIC_NAMESPACE: topics.claims.slice(0, -'claims.v1'.length),
    TOPIC_PARTITIONS: args.partitions,
    CONSUMER_GROUP: group,
    REDIS_PREFIX: prefix,
    QUEUE_PREFIX: queuePrefix,
    AS_OF: END,
    PARTITIONS_CONSUMED_CONCURRENTLY: args.concurrency,
    NODE_OPTIONS: `${args['node-options']}${args.profile ? ` --cpu-prof --cpu-prof-dir=${args.profile}` : ''}`,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    ROLLOVER_ENABLED: 'false',
    ACCUMULATOR_PORT: String(port),
  },
  port,
);
// Timed from the first committed batch (the group join of a fresh consumer is not throughput) to lag 0.
const ready = performance.now();
const total = claims.length + households.length;
let lag = await consumerLag(kafka, group, [topics.claims, topics.households]);
while (lag >= total) {
  await new Promise((r) => setTimeout(r, 100));
  lag = await consumerLag(kafka, group, [topics.claims, topics.households]);
}
const started = performance.now();
const startLag = lag;
let last = started;
while (lag > 0) {
  await new Promise((r) => setTimeout(r, 200));
  lag = await consumerLag(kafka, group, [topics.claims, topics.households]);
  if (performance.now() - last > 5000) {
    last = performance.now();
    say(`[bench]   lag ${lag} after ${((last - started) / 1000).toFixed(0)} s`);
  }
}
const seconds = (performance.now() - started) / 1000;
say(
  `[bench] first commit ${((started - ready) / 1000).toFixed(1)} s after ready; then ${startLag} messages in ${seconds.toFixed(2)} s`,
);
say(
  `[bench] accumulator: ${Math.round(startLag / seconds)} claims/s (one instance, ${args.partitions} partitions, concurrency ${args.concurrency}, ${claims.length} claims)`,
);
if (process.env.BENCH_LOG_LEVEL === 'debug') {
  for (const line of service
    .output()
    .split('\n')
    .filter((l) => l.includes('batch done'))
    .slice(-12))
    say(line);
}
await service.stop();

// 4. Totals to the fen, then clean up.
const redis = new Redis(redisUrl);
const keys = createKeys(prefix);
const expected = expectedTotals(claims, oldestRetainedMonth(END, 14));
const persons = [...new Set(claims.map((c) => c.personId))];
let mismatches = 0;
for (let i = 0; i < persons.length; i += 5000) {
  const chunk = persons.slice(i, i + 5000);
  const pipeline = redis.pipeline();
  for (const p of chunk) pipeline.hgetall(keys.person(p));
  const replies = (await pipeline.exec()) ?? [];
  chunk.forEach((p, k) => {
    const a = totalsOfHash(replies[k]![1] as Record<string, string>);
    const e = expected.get(p) ?? { burdenFen: 0, selfPayFen: 0 };
    if (a.burdenFen !== e.burdenFen || a.selfPayFen !== e.selfPayFen) mismatches++;
  });
}
say(`[bench] totals match to the fen: ${mismatches === 0} (${persons.length} persons, ${mismatches} mismatches)`);
if (!args.keep) {
  for (const p of [prefix, queuePrefix]) {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${p}:*`, 'COUNT', 5000);
      cursor = next;
      if (found.length > 0) await redis.del(...found);
    } while (cursor !== '0');
  }
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  await admin.deleteGroups([group]).catch(() => undefined);
  await admin.disconnect();
}
await redis.quit();
process.exit(mismatches === 0 ? 0 : 1);
