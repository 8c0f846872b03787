// The accumulator's own HTTP surface: /healthz for the supervisor and /metrics for Prometheus.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.ts';

export function buildHealth(deps: {
  logger: Logger;
  metrics: Pick<Metrics, 'parkedSinceStart' | 'registry'>;
  parkedTopic: string;
}): FastifyInstance {
  const { metrics, parkedTopic } = deps;
  const health = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  // Degraded (still 200: a restart would not help) once a record was parked, until an operator has replayed
  // it and restarted the instance; the parked topic keeps every parked record across restarts.
  health.get('/healthz', async () => {
    const parked = metrics.parkedSinceStart();
    return { status: parked > 0 ? 'degraded' : 'ok', parked, parkedTopic };
  });
  health.get('/metrics', async (_request, reply) =>
    reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  return health;
}
