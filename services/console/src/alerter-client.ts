// The console's only source of alert data: the alerter's caseworker API, called server-side with the
// signed-in user's own token. The console keeps no alert state, so every figure on a screen is what the API
// answers for that token's scope.
import type { AlertAuditEvent, AlertJobData } from '@warnline/contracts';

/** The alerter's `<alert>` (docs/contracts.md, "Alert records and the caseworker API"). */
export interface Alert {
  alertId: string;
  householdId: string;
  streetCode: string;
  districtCode: string;
  state: 'new' | 'acknowledged' | 'investigating' | 'closed';
  level: string;
  outcome: string | null;
  note: string | null;
  openedAt: string;
  acknowledgedAt: string | null;
  investigatingAt: string | null;
  closedAt: string | null;
  acknowledgeDueAt: string;
  closeDueAt: string;
  overdue: { acknowledge: string | null; close: string | null };
  jobs: number;
  next: string[];
  decision: Pick<
    AlertJobData,
    | 'findings'
    | 'burden12m'
    | 'burdenByMonth'
    | 'income'
    | 'burdenRatio'
    | 'window'
    | 'assistance'
    | 'ruleSet'
    | 'raisedAt'
  > & { warnings: NonNullable<AlertJobData['warnings']> };
}

/** Who a token is (`GET /v1/me`). */
export type Principal =
  | { name: string; role: 'street'; street: string }
  | { name: string; role: 'district'; district: string }
  | { name: string; role: 'city' }
  | { name: string; role: 'admin' };

export interface AlertPage {
  streetCode: string;
  state: string;
  offset: number;
  limit: number;
  total: number;
  alerts: Alert[];
}

/** An answer of the alerter other than 2xx: its stable code, or UNAVAILABLE when it did not answer. */
export class AlerterError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AlerterError';
  }
}

export interface AlerterClient {
  me(): Promise<Principal>;
  list(streetCode: string, state: string, offset: number, limit: number): Promise<AlertPage>;
  alert(alertId: string): Promise<Alert>;
  history(alertId: string): Promise<AlertAuditEvent[]>;
  transition(alertId: string, body: { to: string; outcome?: string; note?: string }): Promise<Alert>;
  /** The supervisor dashboard of a scope (`city`, a district or a street code; the token's own without). */
  dashboard(scope: string | undefined, days: number): Promise<Dashboard>;
  /** The admin pipeline page's data. */
  pipeline(): Promise<PipelineReport>;
}

export type LevelCounts = { watch: number; warning: number; action: number };
export interface DurationSummary {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}
export interface DashboardFigures {
  open: LevelCounts;
  openTotal: number;
  byState: Record<string, number>;
  overdue: number;
  timeToAcknowledge: DurationSummary;
  timeToClose: DurationSummary;
}
/** The alerter's `<dashboard>` (docs/contracts.md, "Supervisor dashboard"). */
export interface Dashboard {
  scope: string;
  days: number;
  asOf: string;
  totals: DashboardFigures;
  streets: (DashboardFigures & { streetCode: string; districtCode: string })[];
  outcomesByMonth: { month: string; counts: Record<string, number>; total: number }[];
  newByWeek: { weekStart: string; count: number }[];
  householdsByLevel: ({ day: string } & LevelCounts)[];
}
/** The alerter's `<pipeline>` (docs/contracts.md, "Pipeline health"). */
export interface PipelineReport {
  asOf: string;
  consumerLag: { group: string; topic: string; lag: number }[];
  queues: { queue: string; waiting: number; active: number; delayed: number; failed: number }[];
  redisUsedMemoryBytes: number | null;
  board: string;
  claimsPerSecond: number | null;
  deadLettersByCode: { code: string; hourly: { at: string; count: number }[] }[] | null;
  institutions: { institution: string; lastClaimAt: string; silentHours: number; silent: boolean }[] | null;
  prometheusError?: string;
}

export interface AlerterSettings {
  baseUrl: string;
  timeoutMs: number;
}

/** A client bound to one user's token. */
export function alerterClient({ baseUrl, timeoutMs }: AlerterSettings, token: string): AlerterClient {
  async function call<T>(path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new AlerterError(503, 'UNAVAILABLE', `the alerter did not answer: ${(err as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) {
      let code = 'INTERNAL';
      try {
        code = String((JSON.parse(text) as { code?: unknown }).code ?? code);
      } catch {
        // Not the alerter's JSON error body (a proxy's page): keep INTERNAL.
      }
      throw new AlerterError(res.status, code, `the alerter answered ${res.status} ${code}`);
    }
    return JSON.parse(text) as T;
  }
  const id = (alertId: string) => encodeURIComponent(alertId);
  return {
    me: () => call<Principal>('/v1/me'),
    list: (streetCode, state, offset, limit) =>
      call<AlertPage>(
        `/v1/streets/${encodeURIComponent(streetCode)}/alerts?state=${encodeURIComponent(state)}&offset=${offset}&limit=${limit}`,
      ),
    alert: (alertId) => call<Alert>(`/v1/alerts/${id(alertId)}`),
    history: async (alertId) =>
      (await call<{ history: AlertAuditEvent[] }>(`/v1/alerts/${id(alertId)}/history`)).history,
    transition: (alertId, body) => call<Alert>(`/v1/alerts/${id(alertId)}/transitions`, body),
    dashboard: (scope, days) =>
      call<Dashboard>(`/v1/dashboard?days=${days}${scope ? `&scope=${encodeURIComponent(scope)}` : ''}`),
    pipeline: () => call<PipelineReport>('/admin/pipeline'),
  };
}
