// The dashboard phase: seed alerts into Redis through the alerter's own scripts (so the aggregates are
// the ones the scripts keep), spread over the last 90 days and over the streets of a city, then start the
// alerter and time GET /v1/dashboard for one district and for the city, over 30 and 90 days.
import type { Redis } from 'ioredis';
import { freePort, startService, type Infra, type RunningService } from '@warnline/infra';
import { alertJobData } from '@warnline/test';
import { AlertStore, type Limits } from '../services/alerter/src/alert-store.ts';
import { createKeys, ALERT_LEVELS } from '../services/alerter/src/keys.ts';
import { registerScripts } from '../services/alerter/src/scripts.ts';
import { get } from './http-client.ts';
import type { PhaseNames } from './stack.ts';
import { summarise } from './stats.ts';
import { Random } from '@warnline/synthetic';

export interface DashboardOptions {
  alerts: number;
  districts: number;
  streetsPerDistrict: number;
  /** Timed requests per case. */
  requests: number;
  seed: number;
}

export interface DashboardCase {
  scope: string;
  days: number;
  streets: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The case's first request: every street read afresh (the timed ones find unchanged streets kept). */
  firstMs: number;
}

export interface DashboardResult {
  alerts: number;
  streets: number;
  seedSeconds: number;
  cases: DashboardCase[];
}

const DAY_MS = 86_400_000;
const limits: Limits = { acknowledgeWithinMs: 2 * DAY_MS, closeWithinMs: 15 * DAY_MS, assignWithinWorkingDays: 3 };

/** A seeded generator (packages/synthetic): the same seed gives the same city. */
function random(seed: number): () => number {
  const generator = new Random(seed);
  return () => generator.next();
}

/** Street codes of a city: district 3101xx, streets 3101xx1nn. */
function cityStreets(districts: number, perDistrict: number): string[] {
  const streets: string[] = [];
  for (let d = 1; d <= districts; d++)
    for (let s = 1; s <= perDistrict; s++)
      streets.push(`3101${String(d).padStart(2, '0')}1${String(s).padStart(2, '0')}`);
  return streets;
}

/**
 * Opens `alerts` alerts in time order over the last 90 days; most are acknowledged within hours and about
 * half closed within days, as a street office would. Runs the scripts with many calls in flight.
 */
async function seed(redis: Redis, prefix: string, streets: string[], options: DashboardOptions): Promise<void> {
  registerScripts(redis);
  const store = new AlertStore(redis, createKeys(prefix));
  const rnd = random(options.seed);
  const now = Date.now();
  const start = now - 90 * DAY_MS;
  const step = (90 * DAY_MS) / options.alerts;
  const inFlight = 200;
  let next = 0;
  async function one(i: number): Promise<void> {
    const street = streets[Math.floor(rnd() * streets.length)]!;
    const level = ALERT_LEVELS[Math.floor(rnd() * ALERT_LEVELS.length)]!;
    const openedAt = start + i * step;
    const data = alertJobData({ streetCode: street, level, householdId: `HH${options.seed}-${i}` });
    const opened = await store.ingestJob(`bench-${i}`, data, level, new Date(openedAt), limits);
    if (opened.kind === 'stale') return;
    const actor = { name: 'bench', role: 'street' as const };
    const ackAt = openedAt + rnd() * 3 * DAY_MS;
    if (ackAt > now || rnd() < 0.1) return;
    await store.transition(opened.alertId, { to: 'acknowledged' }, actor, new Date(ackAt));
    const investigateAt = ackAt + rnd() * DAY_MS;
    if (investigateAt > now) return;
    await store.transition(opened.alertId, { to: 'investigating' }, actor, new Date(investigateAt));
    const closeAt = investigateAt + rnd() * 20 * DAY_MS;
    if (closeAt > now || rnd() < 0.3) return;
    await store.transition(
      opened.alertId,
      { to: 'closed', outcome: rnd() < 0.5 ? 'assistance-granted' : 'not-eligible', note: 'bench' },
      actor,
      new Date(closeAt),
    );
  }
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < options.alerts) await one(next++);
    }),
  );
}

export async function runDashboard(
  infra: Infra,
  redis: Redis,
  names: PhaseNames,
  options: DashboardOptions,
  say: (line: string) => void,
): Promise<DashboardResult> {
  const streets = cityStreets(options.districts, options.streetsPerDistrict);
  const t0 = performance.now();
  await seed(redis, names.redisPrefix, streets, options);
  const seedSeconds = (performance.now() - t0) / 1000;
  say(`[bench] dashboard: seeded ${options.alerts} alerts in ${streets.length} streets in ${seedSeconds.toFixed(1)} s`);
  // The seeded events' side effects (audit, timers) are not what is measured: the outboxes are emptied so the
  // alerter's relay does not run 100,000 of them beside the timed requests.
  const keys = createKeys(names.redisPrefix);
  for (const street of streets) await redis.del(keys.street(street).outbox);

  const token = `bench-admin-${names.redisPrefix}-0123456789`;
  const port = await freePort();
  let alerter: RunningService | undefined;
  try {
    alerter = await startService(
      'alerter',
      {
        REDIS_URL: infra.redisUrl,
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
        TOPIC_NAMESPACE: names.namespace,
        REDIS_PREFIX: names.redisPrefix,
        QUEUE_PREFIX: names.queuePrefix,
        ALERTER_PORT: String(port),
        ALERTER_TOKENS: JSON.stringify([{ name: 'bench-admin', token, role: 'admin' }]),
        ALERTER_DISCOVERY_INTERVAL_MS: '0',
        LOG_LEVEL: 'warn',
      },
      port,
    );
    const cases: DashboardCase[] = [];
    for (const [scope, streetCount] of [
      [streets[0]!.slice(0, 6), options.streetsPerDistrict],
      ['city', streets.length],
    ] as const) {
      for (const days of [30, 90]) {
        const path = `/v1/dashboard?scope=${scope}&days=${days}`;
        const timings: number[] = [];
        // The first request reads every street afresh: timed apart from the rest, which find them kept.
        const first = performance.now();
        await get(alerter.url, path, token);
        const firstMs = performance.now() - first;
        for (let i = 0; i < options.requests; i++) {
          const t = performance.now();
          const r = await get(alerter.url, path, token);
          timings.push(performance.now() - t);
          if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}: ${r.body.slice(0, 200)}`);
        }
        const s = summarise(timings);
        cases.push({ scope, days, streets: streetCount, p50Ms: s.p50, p99Ms: s.p99, maxMs: s.max, firstMs });
        say(
          `[bench] dashboard ${scope} ${days} days: first ${firstMs.toFixed(1)} ms, p50 ${s.p50.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`,
        );
      }
    }
    return { alerts: options.alerts, streets: streets.length, seedSeconds, cases };
  } finally {
    await alerter?.stop();
  }
}
