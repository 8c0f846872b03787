// End-to-end latency: from the HTTP 202 of a claim to its alert job appearing in the street queue, at a
// fixed offered load (open loop: each batch leaves at its scheduled time whether or not earlier ones were
// answered, so a slow system faces a growing backlog instead of a politely slower client).
//
// The load is the synthetic feed (real households registered first); among it, trigger claims of households
// built so that exactly that claim raises an `action` alert (packages/synthetic generateTriggers), on a street
// of their own. "Appeared" is the "added" event of the job in the queue's event stream: its stream id is the
// Redis server's clock at the XADD; the 202 time is this process's clock, on the same machine.
import type { Redis } from 'ioredis';
import { alertJobId, shanghaiDate, streetQueueName } from '@warnline/contracts';
import { freePort, startService, waitFor, type Infra, type RunningService } from '@warnline/infra';
import { generateTriggers } from '@warnline/synthetic';
import { startCpuMeter, type CpuShare } from './cpu.ts';
import { claimsUpTo, deliveryOrder, feedOptions, generateHouseholds, type DeliveryOrder } from './feed.ts';
import { acceptedOf, createPoster } from './http-client.ts';
import type { LagProbe } from './lag.ts';
import { progress } from './progress.ts';
import { serviceEnv, type PhaseNames, type Secrets } from './stack.ts';
import { summarise } from './stats.ts';

export interface LatencyResult {
  offeredPerSec: number;
  /** Claims sent / time from the first to the last send: shows the generator kept the schedule. */
  sentPerSec: number;
  claims: number;
  seconds: number;
  triggers: number;
  alertsSeen: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  minMs: number;
  /** HTTP request → 202, over every batch: ingest's own share under this load. */
  requestP50Ms: number;
  requestP99Ms: number;
  /** Latest a batch left after its scheduled time (the generator's own lag). */
  maxSendDelayMs: number;
  non202: number;
  /** p50 and max per 5 s of send time: a latency that grows through the run means a backlog (throughput-bound). */
  trend: { fromSec: number; p50Ms: number; maxMs: number }[];
  cpu?: CpuShare;
}

const TRIGGER_STREET = '310115901';

export async function runLatency(
  infra: Infra,
  names: PhaseNames,
  secrets: Secrets,
  probe: LagProbe,
  redis: Redis,
  o: {
    ratePerSec: number;
    seconds: number;
    triggers: number;
    seed: number;
    partitions: number;
    batchMs: number;
    order: DeliveryOrder;
    accumulatorEnv: Record<string, string>;
    instances: number;
    nodeOptions?: string;
  },
): Promise<LatencyResult> {
  const today = shanghaiDate(new Date());
  const total = Math.round(o.ratePerSec * o.seconds);
  const options = feedOptions(o.seed, total, today);
  const households = generateHouseholds(options);
  const background = [...deliveryOrder(claimsUpTo(options, households, total), o.order, o.seed)].slice(0, total);
  const triggers = generateTriggers({
    tag: Date.now() % 199,
    count: o.triggers,
    serviceDate: today,
    streetCode: TRIGGER_STREET,
  });

  // The schedule: one batch every batchMs; trigger claims spread evenly, each replacing a background claim.
  const batches = Math.max(1, Math.round((o.seconds * 1000) / o.batchMs));
  const perBatch = Math.max(1, Math.round(total / batches));
  const triggerAt = new Map<number, number>();
  for (let k = 0; k < o.triggers; k++) triggerAt.set(Math.floor(((k + 0.5) * batches) / o.triggers), k);
  const bodies: { body: string; count: number; trigger?: string }[] = [];
  for (let i = 0; i < batches; i++) {
    const items: unknown[] = background.slice(i * perBatch, (i + 1) * perBatch);
    const k = triggerAt.get(i);
    if (k !== undefined) items[0] = triggers[k]!.claim;
    bodies.push({
      body: JSON.stringify(items),
      count: items.length,
      ...(k === undefined ? {} : { trigger: triggers[k]!.household.householdId }),
    });
  }

  const services: RunningService[] = [];
  const ingestPort = await freePort();
  const env = {
    ...serviceEnv(infra, names, secrets, o.partitions),
    ...(o.nodeOptions ? { NODE_OPTIONS: o.nodeOptions } : {}),
  };
  const hospital = createPoster(`http://127.0.0.1:${ingestPort}`, secrets.hospitalToken, 256);
  const registry = createPoster(`http://127.0.0.1:${ingestPort}`, secrets.registryToken, 4);
  try {
    services.push(await startService('ingest', { ...env, INGEST_PORT: String(ingestPort) }, ingestPort));
    for (let i = 0; i < o.instances; i++) {
      const accPort = await freePort();
      services.push(
        await startService(
          'accumulator',
          { ...env, ACCUMULATOR_PORT: String(accPort), ROLLOVER_ENABLED: 'false', ...o.accumulatorEnv },
          accPort,
        ),
      );
    }

    // Households first, so that claims count for their household rather than a household of one.
    const allHouseholds = [...households, ...triggers.map((t) => t.household)];
    for (let i = 0; i < allHouseholds.length; i += 1000)
      acceptedOf(await registry.post('/v1/households', JSON.stringify(allHouseholds.slice(i, i + 1000))));
    await waitFor(
      'households consumed by the accumulator',
      async () => (await probe.lag(names.group, [names.topics.households])) === 0,
      { timeoutMs: 120_000, intervalMs: 250 },
    );

    const answeredAt = new Map<string, number>();
    const sentAtSec = new Map<string, number>();
    const requestMs: number[] = [];
    let non202 = 0;
    let maxSendDelayMs = 0;
    const bar = progress(`latency @${o.ratePerSec}/s`, total);
    const pending: Promise<void>[] = [];
    const meter = await startCpuMeter(
      redis,
      Object.fromEntries(
        services.map((s, i) => [i === 0 ? 'ingest' : `accumulator${o.instances > 1 ? i : ''}`, s.process.pid ?? 0]),
      ),
    );
    const started = performance.now();
    for (let i = 0; i < bodies.length; i++) {
      const due = started + i * o.batchMs;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      maxSendDelayMs = Math.max(maxSendDelayMs, performance.now() - due);
      const b = bodies[i]!;
      const sentAt = performance.now();
      if (b.trigger !== undefined) sentAtSec.set(b.trigger, (sentAt - started) / 1000);
      pending.push(
        hospital.post('/v1/claims', b.body).then(
          (res) => {
            requestMs.push(performance.now() - sentAt);
            if (res.status !== 202) non202++;
            else if (b.trigger !== undefined) answeredAt.set(b.trigger, res.answeredAt);
            bar.tick(b.count);
          },
          () => void non202++,
        ),
      );
    }
    const sendSeconds = (performance.now() - started) / 1000;
    await Promise.all(pending);
    const cpu = await meter();
    bar.done();

    // Wait for every trigger's job (those whose 202 arrived), then read when each appeared.
    const queueEvents = `${names.queuePrefix}:${streetQueueName(TRIGGER_STREET)}:events`;
    const addedAt = new Map<string, number>();
    const jobIds = new Map<string, string>();
    const readEvents = async () => {
      const entries = await redis.xrange(queueEvents, '-', '+');
      for (const [id, fields] of entries) {
        const f: Record<string, string> = {};
        for (let j = 0; j + 1 < fields.length; j += 2) f[fields[j]!] = fields[j + 1]!;
        if (f.event === 'added' && f.jobId !== undefined) {
          const householdId = f.jobId.split('|')[0]!;
          if (!addedAt.has(householdId)) {
            addedAt.set(householdId, Number(id.split('-')[0]));
            jobIds.set(householdId, f.jobId);
          }
        }
      }
      return [...answeredAt.keys()].every((h) => addedAt.has(h));
    };
    await waitFor('alert jobs of every trigger claim', readEvents, { timeoutMs: 60_000, intervalMs: 250 }).catch(
      (err: unknown) => {
        process.stderr.write(`[bench] ${(err as Error).message}: ${addedAt.size}/${answeredAt.size} seen\n`);
      },
    );
    const timed = [...answeredAt]
      .filter(([h]) => addedAt.has(h))
      .map(([h, at]) => ({ sec: sentAtSec.get(h) ?? 0, ms: addedAt.get(h)! - at }));
    const latencies = timed.map((t) => t.ms);
    const trend = Array.from({ length: Math.ceil(o.seconds / 5) }, (_, w) => {
      const inWindow = summarise(timed.filter((t) => t.sec >= w * 5 && t.sec < (w + 1) * 5).map((t) => t.ms));
      return { fromSec: w * 5, p50Ms: Math.round(inWindow.p50), maxMs: Math.round(inWindow.max) };
    });
    const s = summarise(latencies);
    const r = summarise(requestMs);
    // Each trigger must have raised exactly the alert it was built for (level, window month): otherwise the
    // timing would be of some other decision.
    const window = today.slice(0, 7);
    const unexpected = triggers.filter(
      (t) =>
        jobIds.has(t.household.householdId) &&
        jobIds.get(t.household.householdId) !== alertJobId(t.household.householdId, t.level, window),
    );
    if (unexpected.length > 0)
      throw new Error(
        `${unexpected.length} trigger(s) raised another alert than expected, e.g. ${jobIds.get(unexpected[0]!.household.householdId)}`,
      );
    return {
      offeredPerSec: o.ratePerSec,
      sentPerSec: total / sendSeconds,
      claims: bodies.reduce((n, b) => n + b.count, 0),
      seconds: sendSeconds,
      triggers: o.triggers,
      alertsSeen: latencies.length,
      p50Ms: s.p50,
      p99Ms: s.p99,
      maxMs: s.max,
      minMs: s.min,
      requestP50Ms: r.p50,
      requestP99Ms: r.p99,
      maxSendDelayMs,
      non202,
      trend,
      cpu,
    };
  } finally {
    hospital.close();
    registry.close();
    for (const s of services.reverse()) await s.stop();
  }
}
