// Time limits as delayed BullMQ jobs on TIMER_QUEUE: they live in Redis, so they fire after a restart of
// the alerter, and after a restart of Redis when it persists (AOF). Firing runs the breach script, which
// does nothing when the caseworker was in time.
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { BREACHES } from '@warnline/contracts';
import type { AlertStore } from './alert-store.ts';
import type { Effects, TimerJobData } from './effects.ts';
import { TIMER_QUEUE } from './queues.ts';

export function startTimerWorker(deps: {
  connection: Redis;
  prefix: string;
  store: AlertStore;
  effects: Effects;
  logger: Logger;
}): Worker {
  const worker = new Worker<TimerJobData>(
    TIMER_QUEUE,
    async (job: Job<TimerJobData>) => {
      const { alertId, breach } = job.data;
      if (!BREACHES.includes(breach)) return { result: 'ignored' };
      const result = await deps.store.breach(alertId, breach, new Date());
      if (result.kind === 'overdue') {
        deps.logger.info({ alertId, breach }, 'time limit breached: escalating to the district');
        await deps.effects.runOrDefer(result.event);
      }
      return { result: result.kind };
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: 4 },
  );
  worker.on('error', (err) => deps.logger.warn({ err }, 'timer worker error'));
  return worker;
}
