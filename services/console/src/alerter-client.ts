// The console's only source of alert data: the alerter's caseworker API, called server-side with the
// signed-in user's own token. The console keeps no alert state, so every figure on a screen is what the API
// answers for that token's scope.
import type { AlertAuditEvent, AlertView } from '@warnline/contracts';

/** The alerter's `<alert>` (docs/contracts.md, "Alert records and the caseworker API"). */
export type Alert = AlertView;

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

/** A district's or the city's listing (`GET /v1/districts/{d}/alerts`, `GET /v1/city/alerts`). */
export interface ListingPage {
  offset: number;
  limit: number;
  total: number;
  alerts: Alert[];
}

/** The filter of a listing and its CSV, as the alerter's query names it; empty fields are left out. */
export interface ListingQuery {
  state?: string;
  level?: string;
  street?: string;
  overdue?: 'true' | 'false';
}

/** Where a listing comes from: one district's streets and desk, or the city (`district` narrows it). */
export type ListingScope = { kind: 'district'; district: string } | { kind: 'city'; district?: string };

/** The identity numbers of an alert's members: the alerter's reveal answer, shown once and kept nowhere. */
export interface RevealAnswer {
  alertId: string;
  householdId: string;
  revealedAt: string;
  identities: ({ pseudonym: string; personIdType: string; personId: string } | { pseudonym: string; code: string })[];
}

/** A CSV export as the alerter sent it: the bytes and the headers a download keeps. */
export interface CsvDownload {
  body: Buffer;
  contentType: string;
  contentDisposition: string;
}

/** An answer of the alerter other than 2xx: its stable code, or UNAVAILABLE when it did not answer. */
export class AlerterError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds the alerter asked to wait (`retry-after`), when it did. */
    readonly retryAfterSeconds?: number,
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
  /** `street` with `assigned`, `district` with a `not-resident` close (triage desks). */
  transition(
    alertId: string,
    body: { to: string; outcome?: string; note?: string; street?: string; district?: string },
  ): Promise<Alert>;
  /** The supervisor dashboard of a scope (`city`, a district or a street code; the token's own without). */
  dashboard(scope: string | undefined, days: number): Promise<Dashboard>;
  /** The admin pipeline page's data. */
  pipeline(): Promise<PipelineReport>;
  /** One page of a district's or the city's alerts under a filter. */
  listing(scope: ListingScope, query: ListingQuery, offset: number, limit: number): Promise<ListingPage>;
  /** Every alert of the filter as the alerter's CSV, byte for byte. */
  listingCsv(scope: ListingScope, query: ListingQuery): Promise<CsvDownload>;
  /** The audited reveal of an alert's members' identity numbers, with the caseworker's purpose. */
  reveal(alertId: string, purpose: string): Promise<RevealAnswer>;
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
  /** The alerter's answer when it is 2xx; an AlerterError with its stable code otherwise. */
  async function send(path: string, body?: unknown): Promise<Response> {
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
    if (res.ok) return res;
    const text = await res.text();
    let code = 'INTERNAL';
    try {
      code = String((JSON.parse(text) as { code?: unknown }).code ?? code);
    } catch {
      // Not the alerter's JSON error body (a proxy's page): keep INTERNAL.
    }
    const retryAfter = Number(res.headers.get('retry-after') ?? Number.NaN);
    throw new AlerterError(
      res.status,
      code,
      `the alerter answered ${res.status} ${code}`,
      Number.isFinite(retryAfter) ? retryAfter : undefined,
    );
  }
  async function call<T>(path: string, body?: unknown): Promise<T> {
    return (await (await send(path, body)).json()) as T;
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
    listing: (scope, query, offset, limit) =>
      call<ListingPage>(`${listingPath(scope, 'alerts')}?${listingParams(scope, query, { offset, limit })}`),
    async listingCsv(scope, query) {
      const res = await send(`${listingPath(scope, 'alerts.csv')}?${listingParams(scope, query, {})}`);
      return {
        body: Buffer.from(await res.arrayBuffer()),
        contentType: res.headers.get('content-type') ?? 'text/csv; charset=utf-8',
        contentDisposition: res.headers.get('content-disposition') ?? 'attachment; filename="alerts.csv"',
      };
    },
    reveal: (alertId, purpose) => call<RevealAnswer>(`/v1/alerts/${id(alertId)}/reveal`, { purpose }),
  };
}

function listingPath(scope: ListingScope, resource: 'alerts' | 'alerts.csv'): string {
  return scope.kind === 'district'
    ? `/v1/districts/${encodeURIComponent(scope.district)}/${resource}`
    : `/v1/city/${resource}`;
}

/** The query of a listing: the filter's non-empty fields, the city's district, the page. */
export function listingParams(
  scope: ListingScope,
  query: ListingQuery,
  page: { offset?: number; limit?: number },
): string {
  const params = new URLSearchParams();
  if (scope.kind === 'city' && scope.district) params.set('district', scope.district);
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, String(value));
  if (page.offset !== undefined) params.set('offset', String(page.offset));
  if (page.limit !== undefined) params.set('limit', String(page.limit));
  return params.toString();
}
