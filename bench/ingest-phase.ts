// Ingest over HTTP: raw synthetic claims in batches of 500 (POST /v1/claims), a fixed number of requests in
// flight, against one ingest process; claims/s = accepted claims / time from the first request to the last 202.
import type { Redis } from 'ioredis';
import { freePort, startService, type Infra, type RunningService } from '@warnline/infra';
import { startCpuMeter, type CpuShare } from './cpu.ts';
import { claimsUpTo, deliveryOrder, feedOptions, generateHouseholds, type DeliveryOrder } from './feed.ts';
import { acceptedOf, createPoster } from './http-client.ts';
import { progress } from './progress.ts';
import { serviceEnv, type PhaseNames, type Secrets } from './stack.ts';

export interface IngestResult {
  claimsPerSec: number;
  claims: number;
  seconds: number;
  batchSize: number;
  concurrency: number;
  cpu?: CpuShare;
}

export async function runIngest(
  infra: Infra,
  redis: Redis,
  names: PhaseNames,
  secrets: Secrets,
  o: {
    claims: number;
    batchSize: number;
    concurrency: number;
    seed: number;
    endDate: string;
    partitions: number;
    order: DeliveryOrder;
    nodeOptions?: string;
  },
): Promise<IngestResult> {
  // Bodies are serialised before the clock starts: the load generator shares the two cores with ingest.
  const options = feedOptions(o.seed, o.claims, o.endDate);
  const bodies: { body: string; count: number }[] = [];
  let batch: unknown[] = [];
  const genBar = progress('generate raw claims', o.claims);
  for (const claim of deliveryOrder(claimsUpTo(options, generateHouseholds(options), o.claims), o.order, o.seed)) {
    batch.push(claim);
    if (batch.length === o.batchSize) {
      bodies.push({ body: JSON.stringify(batch), count: batch.length });
      genBar.tick(batch.length);
      batch = [];
    }
  }
  if (batch.length > 0) {
    bodies.push({ body: JSON.stringify(batch), count: batch.length });
    genBar.tick(batch.length);
  }
  genBar.done();
  const total = bodies.reduce((n, b) => n + b.count, 0);

  let service: RunningService | undefined;
  const port = await freePort();
  const poster = createPoster(`http://127.0.0.1:${port}`, secrets.hospitalToken, o.concurrency);
  try {
    service = await startService(
      'ingest',
      {
        ...serviceEnv(infra, names, secrets, o.partitions),
        INGEST_PORT: String(port),
        ...(o.nodeOptions ? { NODE_OPTIONS: o.nodeOptions } : {}),
      },
      port,
    );
    // A few claims first, untimed: the producer's first send fetches metadata, which is not throughput.
    // They are sent again in their batch; downstream that is a harmless duplicate delivery.
    const first = bodies[0];
    if (first)
      acceptedOf(await poster.post('/v1/claims', JSON.stringify((JSON.parse(first.body) as unknown[]).slice(0, 5))));
    const bar = progress(`ingest HTTP ×${o.concurrency}`, total);
    let next = 0;
    let accepted = 0;
    const meter = await startCpuMeter(redis, { ingest: service.process.pid ?? 0 });
    const started = performance.now();
    const worker = async () => {
      while (next < bodies.length) {
        const b = bodies[next++]!;
        // Read the answer before adding: `accepted += await …` would add to the value read before the await.
        const n = acceptedOf(await poster.post('/v1/claims', b.body));
        accepted += n;
        bar.tick(b.count);
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    bar.done();
    return {
      claimsPerSec: accepted / seconds,
      claims: accepted,
      seconds,
      batchSize: o.batchSize,
      concurrency: o.concurrency,
      cpu: await meter(),
    };
  } finally {
    poster.close();
    await service?.stop();
  }
}
