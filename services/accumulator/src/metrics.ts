// Prometheus metrics of the accumulator (GET /metrics on the health server). Label values come from small
// closed sets (kinds, codes, topics) and institution codes, which name hospitals, never people: never an
// identity number, a pseudonym, a claim id or a household id.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { maskIdentityNumbersIn } from '@warnline/contracts';

export type RecordKind = 'claim' | 'household';

export interface Metrics {
  registry: Registry;
  claimsApplied(count: number): void;
  claimsDuplicate(count: number): void;
  /** One dead letter, by its code and the institution that submitted the claim ("unknown" without one). */
  deadLettered(kind: RecordKind, code: string, institution: string | null): void;
  parked(kind: RecordKind, code: string): void;
  evaluated(count: number): void;
  alertsRaised(count: number): void;
  statusPublished(count: number): void;
  observeBatch(kind: RecordKind, outcome: 'ok' | 'isolated', seconds: number): void;
  /** Records parked since this process started (what /healthz reports). */
  parkedSinceStart(): number;
}

/** An institution code as a label value: codes of hospitals only; anything else becomes "unknown". */
export function institutionLabel(code: string | null | undefined): string {
  if (typeof code !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(code)) return 'unknown';
  return maskIdentityNumbersIn(code) === code ? code : 'unknown';
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'accumulator_' });
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  const applied = counter('accumulator_claims_applied_total', 'Claims counted into the totals (first delivery)');
  const duplicates = counter(
    'accumulator_claims_duplicate_total',
    'Claims delivered again with the same content: no effect',
  );
  const dead = counter(
    'accumulator_dead_letters_total',
    'Records sent to claims.dlq.v1 or households.dlq.v1, by code and submitting institution',
    ['kind', 'code', 'institution'],
  );
  const parked = counter(
    'accumulator_records_parked_total',
    'Records that kept failing and were parked on accumulator.parked.v1 (replay them once the cause is fixed)',
    ['kind', 'code'],
  );
  const evaluations = counter('accumulator_evaluations_total', 'Household evaluations with packages/rules');
  const alerts = counter('accumulator_alerts_raised_total', 'Alert jobs added to the street queues');
  const published = counter('accumulator_status_published_total', 'Messages sent to household-status.v1');
  const parkedNow = new Gauge({
    name: 'accumulator_parked_since_start',
    help: 'Records parked since this process started; non-zero means /healthz reports degraded',
    registers: [registry],
  });
  const batches = new Histogram({
    name: 'accumulator_batch_duration_seconds',
    help: 'Time to process one Kafka batch, from its arrival to its offsets being resolved',
    labelNames: ['kind', 'outcome'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  let parkedCount = 0;
  return {
    registry,
    claimsApplied: (n) => applied.inc(n),
    claimsDuplicate: (n) => duplicates.inc(n),
    deadLettered: (kind, code, institution) => dead.inc({ kind, code, institution: institutionLabel(institution) }),
    parked: (kind, code) => {
      parked.inc({ kind, code });
      parkedCount++;
      parkedNow.set(parkedCount);
    },
    evaluated: (n) => evaluations.inc(n),
    alertsRaised: (n) => alerts.inc(n),
    statusPublished: (n) => published.inc(n),
    observeBatch: (kind, outcome, seconds) => batches.observe({ kind, outcome }, seconds),
    parkedSinceStart: () => parkedCount,
  };
}
