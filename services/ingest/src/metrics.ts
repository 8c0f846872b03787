// Prometheus metrics of ingest (GET /metrics). Label values come from small closed sets (codes, institution
// levels, routes) and, on the one feed-liveness gauge, the institution codes of accepted claims (validated
// codes that name hospitals): never an identity number, a pseudonym or a claim id.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RejectionCode } from '@warnline/contracts';

export type Source = 'http' | 'kafka';
/** "1", "2", "3", or "unknown" when the input had no valid level. */
export type LevelLabel = '1' | '2' | '3' | 'unknown';

export interface Metrics {
  registry: Registry;
  claimAccepted(source: Source, level: LevelLabel): void;
  /** An accepted claim of the institution: its feed is alive now. */
  institutionSeen(institutionCode: string): void;
  /** One count per refused claim, labelled with its first reason (so the sum is the number refused). */
  claimRejected(source: Source, code: RejectionCode, level: LevelLabel): void;
  householdAccepted(source: Source): void;
  householdRejected(source: Source, code: RejectionCode): void;
  /** Whole requests refused before their items were looked at (401, 403, 400, 413, 415, 503). */
  requestRefused(route: string, code: string): void;
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  /** A Kafka send failed and its producer was replaced. */
  producerSessionDiscarded(): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ingest_' });
  const claims = new Counter({
    name: 'ingest_claims_accepted_total',
    help: 'Claims written to claims.v1',
    labelNames: ['source', 'institution_level'],
    registers: [registry],
  });
  const claimsRejected = new Counter({
    name: 'ingest_claims_rejected_total',
    help: 'Claims refused (dead-lettered), by first rejection code',
    labelNames: ['source', 'code', 'institution_level'],
    registers: [registry],
  });
  const households = new Counter({
    name: 'ingest_households_accepted_total',
    help: 'Household records written to households.v1',
    labelNames: ['source'],
    registers: [registry],
  });
  const householdsRejected = new Counter({
    name: 'ingest_households_rejected_total',
    help: 'Household records refused (dead-lettered), by first rejection code',
    labelNames: ['source', 'code'],
    registers: [registry],
  });
  const refused = new Counter({
    name: 'ingest_requests_refused_total',
    help: 'HTTP requests refused as a whole, by request error code',
    labelNames: ['route', 'code'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'ingest_http_request_duration_seconds',
    help: 'HTTP request latency, including the wait for Kafka acknowledgements',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const discarded = new Counter({
    name: 'ingest_kafka_producer_sessions_discarded_total',
    help: 'Kafka producers replaced after a failed send (each send after one uses a new producer id)',
    registers: [registry],
  });
  const lastClaim = new Gauge({
    name: 'ingest_institution_last_claim_timestamp_seconds',
    help: 'When this instance last accepted a claim of the institution (Unix seconds): a feed gone silent stops moving',
    labelNames: ['institution'],
    registers: [registry],
  });
  return {
    registry,
    institutionSeen: (institution) => lastClaim.set({ institution }, Math.floor(Date.now() / 1000)),
    producerSessionDiscarded: () => discarded.inc(),
    claimAccepted: (source, level) => claims.inc({ source, institution_level: level }),
    claimRejected: (source, code, level) => claimsRejected.inc({ source, code, institution_level: level }),
    householdAccepted: (source) => households.inc({ source }),
    householdRejected: (source, code) => householdsRejected.inc({ source, code }),
    requestRefused: (route, code) => refused.inc({ route, code }),
    observeRequest: (route, method, status, seconds) =>
      latency.observe({ route, method, status: String(status) }, seconds),
  };
}

/** The institution level of a raw claim as a label value. */
export function levelLabel(input: unknown): LevelLabel {
  if (input === null || typeof input !== 'object') return 'unknown';
  const institution = (input as { institution?: unknown }).institution;
  const level =
    institution !== null && typeof institution === 'object' ? (institution as { level?: unknown }).level : undefined;
  return level === 1 || level === 2 || level === 3 ? (String(level) as LevelLabel) : 'unknown';
}
