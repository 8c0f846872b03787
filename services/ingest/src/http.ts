// The HTTP API: POST /v1/claims (hospital tokens) and /v1/households (registry tokens), one item or an
// array; GET /healthz and /metrics. Per-item problems answer 202 with the item's rejection (and a dead
// letter); whole-request problems answer a status with a stable REQUEST_ERRORS code (coded-errors.ts).
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import {
  containsIdentityNumber,
  errorBody,
  requestError,
  type Rejection,
  type RequestErrorCode,
} from '@warnline/contracts';
import { mayClaimFor, type Authenticator, type Principal, type Role } from './auth.ts';
import { registerClaimStatusRoute, type ClaimStatusDeps } from './claim-status.ts';
import type { RefusedInput } from './dead-letter.ts';
import { isIdentityStoreUnavailable } from './identity-keeping.ts';
import { registerIdentityRevealRoute, type IdentityRevealDeps } from './identity-reveal.ts';
import { countWritten, emptyOutbound, type Intake, type Outbound, type Outcome } from './intake.ts';
import type { Metrics } from './metrics.ts';
import { exchangeSetlId, type ExchangeIntake } from './nhsa-exchange.ts';
import type { Publisher } from './publisher.ts';
import type { ValidationContext } from './validate.ts';

export interface HttpDeps {
  logger: Logger;
  publisher: Publisher;
  intake: Intake;
  authenticator: Authenticator;
  metrics: Metrics;
  maxBatch: number;
  bodyLimit: number;
  /** GET /v1/claims/{claimId}; without it the route is not served. */
  claimStatus?: ClaimStatusDeps;
  /** POST /v1/nhsa/exchanges; without it the route is not served. */
  exchanges?: ExchangeIntake;
  /** POST /internal/v1/identities/reveal; without it the route is not served. */
  identityReveal?: IdentityRevealDeps;
  now?: () => Date;
}

/** One refused item of a 202 answer: its first reason, and all of them in `problems`. */
export interface ItemRejection extends Rejection {
  index: number;
  claimId?: string | undefined;
  householdId?: string | undefined;
  problems: Rejection[];
}

export interface AcceptedBody {
  accepted: number;
  rejected: ItemRejection[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The item's own id, echoed so the sender can match answers to items; only when it is a well-formed id. */
function idField(input: unknown, name: string): string | undefined {
  const value =
    input !== null && typeof input === 'object' && !Array.isArray(input)
      ? (input as Record<string, unknown>)[name]
      : undefined;
  return safeId(value);
}

function safeId(value: unknown): string | undefined {
  // An id that holds an identity number is refused for it, and not echoed either.
  return typeof value === 'string' && SAFE_ID.test(value) && !containsIdentityNumber(value) ? value : undefined;
}

function sendError(reply: FastifyReply, code: RequestErrorCode, metrics: Metrics) {
  metrics.requestRefused(reply.request.routeOptions.url ?? 'unmatched', code);
  const err = requestError(code);
  if (err.status === 401) void reply.header('www-authenticate', 'Bearer realm="warnline-ingest"');
  if (err.status === 503) void reply.header('retry-after', '5');
  return reply.code(err.status ?? 500).send(errorBody(err));
}

/** Fastify's own errors (body parsing, limits) mapped to our stable codes. Their messages are not echoed. */
function requestErrorOf(err: { code?: string; statusCode?: number }): RequestErrorCode {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'INVALID_JSON';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'BODY_TOO_LARGE';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'UNSUPPORTED_MEDIA_TYPE';
    default:
      // secure-json-parse refuses __proto__ / constructor.prototype keys with a plain 400 SyntaxError.
      if (err.statusCode === 400) return err.code === undefined ? 'INVALID_JSON' : 'BAD_REQUEST';
      if (err.statusCode === 413) return 'BODY_TOO_LARGE';
      if (err.statusCode === 415) return 'UNSUPPORTED_MEDIA_TYPE';
      if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return 'BAD_REQUEST';
      return 'INTERNAL';
  }
}

export function buildHttp(deps: HttpDeps): FastifyInstance {
  const { metrics, intake } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit,
    // No per-request log lines: a request line would carry headers and URLs we would rather not keep.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // A "__proto__" or "constructor.prototype" key is dropped rather than failing the whole batch: the item
    // is then judged on its contract fields like any other, and the batch's other items still count.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
  });
  const now = deps.now ?? (() => new Date());

  // Only JSON: Fastify would otherwise parse text/plain into a string and call it one item.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('principal', null);

  app.setErrorHandler((err: { code?: string; statusCode?: number; name?: string }, request, reply) => {
    const code = requestErrorOf(err);
    if (code === 'INTERNAL') {
      // The name only: a message may quote input (JSON.parse and RangeError messages do).
      request.log.error({ err: { name: err.name, code: err.code } }, 'request failed');
    }
    return sendError(reply, code, metrics);
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, 'NOT_FOUND', metrics));

  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(
      request.routeOptions.url ?? 'unmatched',
      request.method,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/metrics', async (_request, reply) => {
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // Authentication runs on onRequest, before the body is read: an unauthenticated client cannot make us
  // parse megabytes of JSON.
  const requireRole = (role: Role) => async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = deps.authenticator.authenticate(request.headers.authorization);
    if (principal === null) return sendError(reply, 'UNAUTHENTICATED', metrics);
    if (principal.role !== role) {
      request.log.warn(
        { principal: principal.name, route: request.routeOptions.url },
        'token used on the wrong endpoint',
      );
      return sendError(reply, 'FORBIDDEN_ROLE', metrics);
    }
    request.principal = principal;
    return undefined;
  };

  function batchRoute(
    path: string,
    role: Role,
    idName: 'claimId' | 'householdId',
    handle: (refused: RefusedInput, ctx: ValidationContext, principal: Principal, out: Outbound) => Outcome,
    idOf: (item: unknown) => string | undefined = (item) => idField(item, idName),
  ) {
    app.post(path, { onRequest: requireRole(role) }, async (request, reply) => {
      const principal = request.principal;
      if (principal === null) return sendError(reply, 'UNAUTHENTICATED', metrics);
      const body = request.body;
      const items: unknown[] = Array.isArray(body) ? body : [body];
      if (items.length > deps.maxBatch) return sendError(reply, 'BATCH_TOO_LARGE', metrics);

      const ctx = intake.context(now());
      const out = emptyOutbound();
      const rejected: ItemRejection[] = [];
      items.forEach((item, index) => {
        const outcome = handle({ json: item }, ctx, principal, out);
        if (!outcome.ok) {
          const [first, ...more] = outcome.rejections;
          if (first) rejected.push({ index, [idName]: idOf(item), ...first, problems: [first, ...more] });
        }
      });
      try {
        await deps.publisher.write(out);
      } catch (err) {
        if (isIdentityStoreUnavailable(err)) {
          request.log.error({ items: items.length }, 'identity store write failed: answering 503');
          return sendError(reply, 'IDENTITY_STORE_UNAVAILABLE', metrics);
        }
        request.log.error(
          { err: { name: (err as Error).name, message: (err as Error).message }, items: items.length },
          'kafka write failed: answering 503',
        );
        return sendError(reply, 'KAFKA_UNAVAILABLE', metrics);
      }
      countWritten(metrics, 'http', out);
      const answer: AcceptedBody = { accepted: out.claims.length + out.households.length, rejected };
      return reply.code(202).send(answer);
    });
  }

  batchRoute('/v1/claims', 'hospital', 'claimId', (refused, ctx, principal, out) =>
    intake.claim(refused, ctx, { source: 'http', principal: principal.name, receivedAt: ctx.receivedAt }, out, (code) =>
      mayClaimFor(principal, code),
    ),
  );
  if (deps.claimStatus) {
    registerClaimStatusRoute(app, deps.claimStatus, requireRole('hospital'), (reply, code) =>
      sendError(reply, code, metrics),
    );
  }
  const exchanges = deps.exchanges;
  if (exchanges) {
    batchRoute(
      '/v1/nhsa/exchanges',
      'hospital',
      'claimId',
      (refused, ctx, principal, out) =>
        exchanges.exchange(
          refused,
          ctx,
          { source: 'http', principal: principal.name, receivedAt: ctx.receivedAt },
          out,
          (code) => mayClaimFor(principal, code),
        ),
      (item) => safeId(exchangeSetlId(item)),
    );
  }
  batchRoute('/v1/households', 'registry', 'householdId', (refused, ctx, principal, out) =>
    intake.household(refused, ctx, { source: 'http', principal: principal.name, receivedAt: ctx.receivedAt }, out),
  );
  if (deps.identityReveal) {
    registerIdentityRevealRoute(app, deps.identityReveal, (reply, code) => sendError(reply, code, metrics));
  }
  return app;
}
