// The admin pipeline page's data (GET /admin/pipeline): what the alerter reads itself (consumer lag, queue
// depths, Redis memory) and, when a Prometheus is configured, what only a time series holds: claims per
// second, dead letters by code over the last day, and each institution's last claim with the silent-feed
// flag. Institution codes name hospitals; nothing here names a person.
import type { PipelineProbe, GroupLag, QueueDepth } from './pipeline.ts';

export interface InstitutionFeed {
  institution: string;
  lastClaimAt: string;
  silentHours: number;
  /** No claim for longer than SILENT_FEED_HOURS. */
  silent: boolean;
}

export interface PipelineReport {
  asOf: string;
  consumerLag: GroupLag[];
  queues: QueueDepth[];
  redisUsedMemoryBytes: number | null;
  board: string;
  /** Null without ALERTER_PROMETHEUS_URL, or when Prometheus did not answer (then `prometheusError`). */
  claimsPerSecond: number | null;
  /** Per code, dead letters per hour over the last 24 hours (oldest first). */
  deadLettersByCode: { code: string; hourly: { at: string; count: number }[] }[] | null;
  institutions: InstitutionFeed[] | null;
  prometheusError?: string;
}

/** Dead letters of ingest and the accumulator, by code. */
const DEAD_LETTERS_BY_CODE =
  'sum by (code) (increase(ingest_claims_rejected_total[1h])) or sum by (code) (increase(accumulator_dead_letters_total[1h]))';
const CLAIMS_PER_SECOND = 'sum(rate(ingest_claims_accepted_total[5m]))';
const LAST_CLAIM = 'max by (institution) (max_over_time(ingest_institution_last_claim_timestamp_seconds[30d]))';

type Sample = { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] };

async function prometheusQuery(base: string, path: string): Promise<Sample[]> {
  const res = await fetch(`${base.replace(/\/$/, '')}${path}`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { status: string; data?: { result: Sample[] }; error?: string };
  if (body.status !== 'success' || !body.data) throw new Error(body.error ?? `Prometheus answered ${res.status}`);
  return body.data.result;
}

export async function pipelineReport(deps: {
  probe: PipelineProbe;
  board: string;
  prometheusUrl: string | undefined;
  silentFeedHours: number;
  now: Date;
}): Promise<PipelineReport> {
  const [consumerLag, queues, memory] = await Promise.all([
    deps.probe.consumerLag(),
    deps.probe.queueDepths(),
    deps.probe.redisUsedMemoryBytes(),
  ]);
  const report: PipelineReport = {
    asOf: deps.now.toISOString(),
    consumerLag,
    queues,
    redisUsedMemoryBytes: Number.isFinite(memory) ? memory : null,
    board: deps.board,
    claimsPerSecond: null,
    deadLettersByCode: null,
    institutions: null,
  };
  if (!deps.prometheusUrl) return report;
  const nowSec = Math.floor(deps.now.getTime() / 1000);
  try {
    const q = (expr: string) => `/api/v1/query?query=${encodeURIComponent(expr)}&time=${nowSec}`;
    const [rate, dead, last] = await Promise.all([
      prometheusQuery(deps.prometheusUrl, q(CLAIMS_PER_SECOND)),
      prometheusQuery(
        deps.prometheusUrl,
        `/api/v1/query_range?query=${encodeURIComponent(DEAD_LETTERS_BY_CODE)}&start=${nowSec - 86_400}&end=${nowSec}&step=3600`,
      ),
      prometheusQuery(deps.prometheusUrl, q(LAST_CLAIM)),
    ]);
    report.claimsPerSecond = Number(rate[0]?.value?.[1] ?? 0);
    report.deadLettersByCode = dead.map((s) => ({
      code: s.metric.code ?? 'unknown',
      hourly: (s.values ?? []).map(([t, v]) => ({
        at: new Date(t * 1000).toISOString(),
        count: Math.round(Number(v)),
      })),
    }));
    report.institutions = last
      .map((s) => {
        const at = Number(s.value?.[1] ?? 0);
        const silentHours = Math.max(0, (nowSec - at) / 3600);
        return {
          institution: s.metric.institution ?? 'unknown',
          lastClaimAt: new Date(at * 1000).toISOString(),
          silentHours: Math.round(silentHours * 10) / 10,
          silent: silentHours > deps.silentFeedHours,
        };
      })
      .sort((a, b) => b.silentHours - a.silentHours);
  } catch (err) {
    report.prometheusError = (err as Error).message;
  }
  return report;
}
