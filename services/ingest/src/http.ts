// The HTTP API: POST /v1/claims and /v1/households (one item or an array), /healthz.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Rejection } from '@warnline/contracts';
import type { Publisher } from './publisher.ts';
import type { Pseudonymise } from './pseudonym.ts';
import { validateClaim, validateHousehold, type ItemResult } from './validate.ts';

export interface HttpDeps {
  logger: Logger;
  publisher: Publisher;
  pseudonymise: Pseudonymise;
  maxBatch: number;
  bodyLimit: number;
  now?: () => Date;
}

interface ItemRejection extends Rejection {
  index: number;
  claimId?: string | undefined;
}

export function buildHttp(deps: HttpDeps): FastifyInstance {
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, bodyLimit: deps.bodyLimit, disableRequestLogging: true });
  const now = deps.now ?? (() => new Date());

  app.get('/healthz', async () => ({ status: 'ok' }));

  function batchRoute<T>(
    path: string,
    validate: (input: unknown, p: Pseudonymise, receivedAt: string) => ItemResult<T>,
    publish: (events: T[]) => Promise<void>,
    idOf: (input: unknown) => string | undefined,
  ) {
    app.post(path, async (request, reply) => {
      const body = request.body;
      const items = Array.isArray(body) ? body : [body];
      if (items.length > deps.maxBatch) {
        return reply.code(413).send({ code: 'BATCH_TOO_LARGE', message: `at most ${deps.maxBatch} items per request` });
      }
      const receivedAt = now().toISOString();
      const events: T[] = [];
      const rejected: ItemRejection[] = [];
      items.forEach((item, index) => {
        const result = validate(item, deps.pseudonymise, receivedAt);
        if (result.ok) events.push(result.event);
        else for (const r of result.rejections) rejected.push({ index, claimId: idOf(item), ...r });
      });
      try {
        await publish(events);
      } catch (err) {
        request.log.error({ err: { message: (err as Error).message } }, 'kafka write failed');
        return reply.code(503).header('retry-after', '5').send({ code: 'KAFKA_UNAVAILABLE', message: 'not stored; retry the whole request' });
      }
      return reply.code(202).send({ accepted: events.length, rejected });
    });
  }

  const field = (name: string) => (input: unknown) => {
    const value = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  batchRoute('/v1/claims', validateClaim, (e) => deps.publisher.claims(e), field('claimId'));
  batchRoute('/v1/households', validateHousehold, (e) => deps.publisher.households(e), field('householdId'));
  return app;
}
