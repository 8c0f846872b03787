// The caseworker API (fastify, zod), /metrics, /healthz and bull-board. Every /v1 and /admin route needs
// a token; a street token reaches only its street's alerts, a district token the alerts of its streets,
// an admin token everything. Errors carry the stable codes of ALERT_API_ERRORS (coded-errors.ts).
//
// Authorisation is attached to routes, never to URL prefixes: the guarded routes live in encapsulated
// plugins whose onRequest hook runs for every route the router matched there, however the client spelled
// the path (the router decodes percent-encoding, so a string test on the raw URL can be walked around).
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { z } from 'zod';
import type { Logger } from 'pino';
import {
  ALERT_OUTCOMES,
  ALERT_STATES,
  alertApiError,
  DISTRICT_CODE,
  errorBody,
  isCodedError,
  STREET_CODE,
  type CodedError,
} from '@warnline/contracts';
import { isAlertInScope, mayAccessStreet, mayViewScope, ownScope, type Authenticator, type Principal } from './auth.ts';
import { MAX_DASHBOARD_DAYS, type DashboardReader, type Scope } from './dashboard.ts';
import type { PipelineReport } from './pipeline-report.ts';
import { districtOfStreet, type AlertStore } from './alert-store.ts';
import type { Effects } from './effects.ts';
import { streetOfAlert } from './keys.ts';
import { checkRequest, nextStates, stageOf, TRANSITION_TARGETS, transitionOf } from './lifecycle.ts';
import { registerListingRoutes } from './listing-routes.ts';
import { parse } from './request-parse.ts';
import type { Metrics } from './metrics.ts';
import { registerBoard } from './board.ts';
import type { QueueSet } from './queues.ts';
import { revealRoutes, type RevealDeps } from './reveal.ts';

// Who made a request, set by the onRequest hook. A WeakMap rather than a FastifyRequest augmentation: the
// augmentation is global, and ingest declares its own `principal`.
const principals = new WeakMap<FastifyRequest, Principal>();
const principalOf = (request: FastifyRequest): Principal | null => principals.get(request) ?? null;

export interface HttpDeps {
  logger: Logger;
  auth: Authenticator;
  store: AlertStore;
  effects: Effects;
  metrics: Metrics;
  queues: QueueSet;
  /** POST /v1/alerts/{alertId}/reveal (everything but the principal lookup, which lives here). */
  reveal: Omit<RevealDeps, 'principalOf'>;
  dashboard: DashboardReader;
  /** The admin pipeline page's data. */
  pipeline: () => Promise<PipelineReport>;
}

const StreetParams = z.object({ streetCode: z.string().regex(STREET_CODE) });
const AlertParams = z.object({ alertId: z.string().max(64) });
const ListQuery = z.object({
  state: z.enum([...ALERT_STATES, 'overdue']).default('new'),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const DashboardQuery = z.object({
  /** `city`, a district code or a street code; default: the token's own scope. */
  scope: z
    .string()
    .regex(/^(city|\d{6}|\d{9})$/, 'city, a 6-digit district code or a 9-digit street code')
    .optional(),
  days: z.coerce.number().int().min(1).max(MAX_DASHBOARD_DAYS).default(30),
});
const scopeOf = (name: string): Scope =>
  name === 'city' ? { kind: 'city' } : { kind: name.length === 6 ? 'district' : 'street', code: name };
const TransitionBody = z.strictObject({
  to: z.enum(TRANSITION_TARGETS),
  outcome: z.enum(ALERT_OUTCOMES).optional(),
  note: z.string().max(4000).optional(),
  street: z.string().regex(STREET_CODE).optional(),
  district: z.string().regex(DISTRICT_CODE).optional(),
});

export function buildHttp(deps: HttpDeps): FastifyInstance {
  const { store, auth } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // No per-request log lines: they would carry URLs and headers (tokens) we would rather not keep.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
  });

  app.setErrorHandler((err: unknown, request, reply) => {
    // A coded error without a status (one of a service's own) is an internal failure like any other.
    if (isCodedError(err) && err.status !== undefined) return sendError(reply, err);
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500)
      return sendError(reply, alertApiError('BAD_REQUEST', { message: (err as Error).message }));
    request.log.error({ err }, 'request failed');
    return sendError(reply, alertApiError('INTERNAL'));
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, alertApiError('NOT_FOUND')));

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/metrics', async (_request, reply) => {
    void reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  /** onRequest hook of the caseworker API: a known token, of any role. */
  const requireToken = async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = auth.authenticate(request.headers.authorization);
    if (principal === null) return sendError(reply, alertApiError('UNAUTHENTICATED'));
    principals.set(request, principal);
    return undefined;
  };

  /** onRequest hook of bull-board: the admin token, as a bearer or (from a browser) as a Basic password. */
  const requireAdmin = async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = auth.authenticate(request.headers.authorization);
    if (principal === null) {
      void reply.header('www-authenticate', 'Basic realm="warnline alerter"');
      return sendError(reply, alertApiError('UNAUTHENTICATED'));
    }
    if (principal.role !== 'admin') return sendError(reply, alertApiError('FORBIDDEN'));
    principals.set(request, principal);
    return undefined;
  };

  /** Throws FORBIDDEN unless the principal may reach the street. */
  async function authorizeStreet(request: FastifyRequest, streetCode: string): Promise<void> {
    const principal = principalOf(request);
    if (principal === null) throw alertApiError('UNAUTHENTICATED');
    if (principal.role === 'admin') return;
    if (!mayAccessStreet(principal, streetCode, districtOfStreet(streetCode))) throw alertApiError('FORBIDDEN');
  }

  /** The scope check of a route naming an alert; the id names the street, so a foreign id is refused unread. */
  async function authorizeAlert(request: FastifyRequest, alertId: string): Promise<void> {
    const principal = principalOf(request);
    if (principal === null) throw alertApiError('UNAUTHENTICATED');
    if (!isAlertInScope(principal, alertId)) throw alertApiError('FORBIDDEN');
    if (streetOfAlert(alertId) === null) throw alertApiError('NOT_FOUND');
  }

  void app.register(async (api) => {
    api.addHook('onRequest', requireToken);

    // Who the token is, for a client that signs a user in with it (the console): its name and scope, never
    // the token.
    api.get('/v1/me', async (request) => {
      const principal = principalOf(request);
      if (principal === null) throw alertApiError('UNAUTHENTICATED');
      return principal;
    });

    api.get('/v1/streets/:streetCode/alerts', async (request) => {
      // Scope first, on the path as routed: a malformed code outside the token's scope is refused, not
      // described (400 would tell a neighbour's caseworker more than 403 does).
      await authorizeStreet(request, (request.params as { streetCode?: string }).streetCode ?? '');
      const { streetCode } = parse(StreetParams, request.params);
      const query = parse(ListQuery, request.query);
      const page = await store.list(streetCode, query.state, query.offset, query.limit);
      return { streetCode, state: query.state, offset: query.offset, limit: query.limit, ...page };
    });

    api.get('/v1/alerts/:alertId', async (request) => {
      const { alertId } = parse(AlertParams, request.params);
      await authorizeAlert(request, alertId);
      const alert = await store.get(alertId);
      if (alert === null) throw alertApiError('NOT_FOUND');
      return alert;
    });

    api.get('/v1/alerts/:alertId/history', async (request) => {
      const { alertId } = parse(AlertParams, request.params);
      await authorizeAlert(request, alertId);
      const history = await store.history(alertId);
      if (history.length === 0) throw alertApiError('NOT_FOUND');
      return { alertId, history };
    });

    api.post('/v1/alerts/:alertId/transitions', async (request) => {
      const { alertId } = parse(AlertParams, request.params);
      await authorizeAlert(request, alertId);
      const body = parse(TransitionBody, request.body ?? {});
      const street = streetOfAlert(alertId) ?? '';
      const problem = checkRequest(body, street);
      if (problem) throw alertApiError(problem);
      const principal = principalOf(request);
      if (principal === null) throw alertApiError('UNAUTHENTICATED');
      const result = await store.transition(alertId, body, { name: principal.name, role: principal.role }, new Date());
      if (result.kind === 'not-found') throw alertApiError('NOT_FOUND');
      if (result.kind === 'wrong-state') {
        const state = result.state as (typeof ALERT_STATES)[number];
        const from = transitionOf(stageOf(street), body.to)?.from;
        throw alertApiError('INVALID_TRANSITION', {
          details: { state, to: body.to, allowed: nextStates(state) },
          message: from
            ? `the alert is ${state}; ${body.to} needs it to be ${from}`
            : `the alert is ${state}; ${body.to} does not apply to ${stageOf(street)} alerts`,
        });
      }
      const event = await deps.effects.run(result.event).catch((err: unknown) => {
        // The transition is stored (with its event in the outbox); the relay finishes the side effects.
        request.log.warn({ err, alertId }, 'side effects deferred to the outbox relay');
        return null;
      });
      const seconds = (Date.now() - result.openedAtMs) / 1000;
      const level = event?.level ?? (await store.get(alertId))?.level ?? 'watch';
      deps.metrics.event(transitionOf(stageOf(street), body.to)?.action ?? body.to);
      if (body.to === 'acknowledged') deps.metrics.acknowledged(level, seconds);
      if (body.to === 'closed') deps.metrics.closed(level, seconds);
      return store.get(alertId);
    });

    registerListingRoutes(api, { store, principalOf });
    void api.register(revealRoutes({ ...deps.reveal, principalOf }));
    api.get('/v1/dashboard', async (request) => {
      const principal = principalOf(request);
      if (principal === null) throw alertApiError('UNAUTHENTICATED');
      const query = parse(DashboardQuery, request.query);
      const scope = query.scope === undefined ? ownScope(principal) : scopeOf(query.scope);
      if (!mayViewScope(principal, scope)) throw alertApiError('FORBIDDEN');
      return deps.dashboard.read(scope, query.days, new Date());
    });
  });

  void app.register(async (admin) => {
    admin.addHook('onRequest', requireAdmin);
    admin.get('/admin/pipeline', async () => deps.pipeline());
  });

  registerBoard(app, deps.queues, requireAdmin);
  return app;
}

function sendError(reply: FastifyReply, err: CodedError): FastifyReply {
  return reply.code(err.status ?? 500).send(errorBody(err));
}
