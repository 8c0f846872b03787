// Caseworker API. Walking skeleton: list a street office's alerts straight from its BullMQ queue.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { streetQueueName } from '@warnline/contracts';

export function buildHttp(deps: { logger: Logger; connection: Redis; prefix: string }): FastifyInstance {
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, disableRequestLogging: true });
  const queues = new Map<string, Queue>();
  const queueFor = (streetCode: string) => {
    let q = queues.get(streetCode);
    if (!q) {
      q = new Queue(streetQueueName(streetCode), { connection: deps.connection, prefix: deps.prefix });
      queues.set(streetCode, q);
    }
    return q;
  };

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get<{ Params: { streetCode: string } }>('/v1/streets/:streetCode/alerts', async (request, reply) => {
    const { streetCode } = request.params;
    if (!/^\d{9}$/.test(streetCode)) return reply.code(400).send({ code: 'INVALID_STREET', message: 'streetCode must be 9 digits' });
    const jobs = await queueFor(streetCode).getJobs(['prioritized', 'waiting', 'active', 'delayed', 'completed', 'failed']);
    return {
      streetCode,
      alerts: jobs.map((job) => ({ id: job.id, level: job.name, priority: job.priority, data: job.data as unknown })),
    };
  });

  app.addHook('onClose', async () => {
    await Promise.all([...queues.values()].map((q) => q.close()));
  });
  return app;
}
