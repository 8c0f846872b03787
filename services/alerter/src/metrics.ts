// prom-client metrics. Labels are street codes, levels, actions and breaches only: never a household,
// a person or a token (no personal data in labels). The gauges are read from Redis at scrape time, so
// every alerter instance reports the same, correct numbers after a restart.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AlertStore } from './alert-store.ts';
import { ALERT_LEVELS } from './keys.ts';
import { QUEUE_DEPTH_STATES, type PipelineProbe } from './pipeline.ts';

// Seconds: from minutes (tests, same-day handling) to beyond the 48-hour and 15-day limits.
const DURATION_BUCKETS = [
  1,
  10,
  60,
  600,
  3600,
  6 * 3600,
  24 * 3600,
  48 * 3600,
  72 * 3600,
  7 * 86_400,
  15 * 86_400,
  30 * 86_400,
];

export interface Metrics {
  registry: Registry;
  /** An alert event (opened, level-raised, …, overdue). */
  event(action: string): void;
  acknowledged(level: string, seconds: number): void;
  closed(level: string, seconds: number): void;
}

export function createMetrics(
  store: AlertStore,
  streets: () => Promise<string[]>,
  /** Pipeline health read at scrape time; without one, its gauges stay empty. */
  pipeline: PipelineProbe | null = null,
): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'warnline_kafka_consumer_lag',
    help: 'Messages not yet consumed by a watched consumer group (ALERTER_LAG_GROUPS), by topic',
    labelNames: ['group', 'topic'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { group, topic, lag } of (await pipeline?.consumerLag()) ?? []) this.set({ group, topic }, lag);
    },
  });
  new Gauge({
    name: 'warnline_queue_jobs',
    help: 'Jobs in the BullMQ queues the alerter serves, by kind (street, triage, charity, timers …), street code and state',
    labelNames: ['kind', 'street', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const depth of (await pipeline?.queueDepths()) ?? []) {
        const labels = queueLabels(depth.queue);
        for (const state of QUEUE_DEPTH_STATES) this.inc({ ...labels, state }, depth[state]);
      }
    },
  });
  new Gauge({
    name: 'warnline_redis_used_memory_bytes',
    help: "Redis INFO used_memory of the alerter's Redis (records and queues)",
    registers: [registry],
    async collect() {
      const bytes = (await pipeline?.redisUsedMemoryBytes()) ?? Number.NaN;
      if (Number.isFinite(bytes)) this.set(bytes);
    },
  });

  new Gauge({
    name: 'warnline_alerts_open',
    help: 'Open (not closed) alerts by street and level',
    labelNames: ['street', 'level'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const street of await streets()) {
        const { open } = await store.counts(street);
        for (const level of ALERT_LEVELS) this.set({ street, level }, open[level]);
      }
    },
  });
  new Gauge({
    name: 'warnline_alerts_overdue',
    help: 'Open alerts that breached a time limit (acknowledge or close), by street',
    labelNames: ['street'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const street of await streets()) this.set({ street }, (await store.counts(street)).overdue);
    },
  });
  const events = new Counter({
    name: 'warnline_alert_events_total',
    help: 'Alert events recorded by this instance, by action',
    labelNames: ['action'],
    registers: [registry],
  });
  const toAck = new Histogram({
    name: 'warnline_alert_time_to_acknowledge_seconds',
    help: 'From an alert opened to acknowledged',
    labelNames: ['level'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const toClose = new Histogram({
    name: 'warnline_alert_time_to_close_seconds',
    help: 'From an alert opened to closed',
    labelNames: ['level'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    event: (action) => events.inc({ action }),
    acknowledged: (level, seconds) => toAck.observe({ level }, seconds),
    closed: (level, seconds) => toClose.observe({ level }, seconds),
  };
}

/**
 * A queue as metric labels: its kind and, for a street queue or a district's triage queue, the street or desk
 * code. Labels stay street codes, never queue names: a queue name is the bull-board's (admin only), while
 * /metrics is open to the scraper.
 */
export function queueLabels(queue: string): { kind: string; street: string } {
  const street = /^alerts\.street\.(\d{9})$/.exec(queue);
  if (street) return { kind: 'street', street: street[1]! };
  const triage = /^alerts\.triage\.(\d{6})$/.exec(queue);
  if (triage) return { kind: 'triage', street: `${triage[1]!}000` };
  return { kind: queue.replace(/^alerts\./, ''), street: '' };
}
