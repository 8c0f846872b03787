// Consumes alerts.links: a person whose household of one had an alert joined a registry household. The
// accumulator knows the membership and says so; the alerter knows the alerts and acts: the person's open
// alert (in any triage desk or street) is closed as `linked`, and its case folds into the registry
// household's open alert in the household's street (opened when there is none), so a household never has two
// open alerts for one situation. The close's side effects (effects.ts) do the folding and the two `linked`
// history entries, from the outbox, so a crash in between is finished later.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AlertLinkJobDataSchema, LINK_QUEUE, STREET_CODE, type AlertLinkJobData } from '@warnline/contracts';
import type { AlertStore } from './alert-store.ts';
import type { Effects } from './effects.ts';

/** What a completed link job returns: the person's alert it closed, or that none was open. */
export type LinkJobResult = { result: 'linked'; alertId: string } | { result: 'nothing-open' };

export function startLinkWorker(deps: {
  connection: Redis;
  prefix: string;
  store: AlertStore;
  effects: Effects;
  logger: Logger;
}): Worker<AlertLinkJobData, LinkJobResult> {
  const worker = new Worker<AlertLinkJobData, LinkJobResult>(
    LINK_QUEUE,
    async (job: Job<AlertLinkJobData>) => {
      const parsed = AlertLinkJobDataSchema.safeParse(job.data);
      if (!parsed.success || !STREET_CODE.test(parsed.data.streetCode))
        throw new UnrecoverableError('job data does not match the link contract');
      const { personId, householdId, streetCode } = parsed.data;
      const alertId = await deps.store.findOpen(personId);
      if (alertId === null) return { result: 'nothing-open' };
      const closed = await deps.store.closeAsLinked(alertId, `${streetCode}/${householdId}`, new Date());
      if (closed.kind === 'done') await deps.effects.run(closed.event);
      return { result: 'linked', alertId };
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: 1 },
  );
  worker.on('error', (err) => deps.logger.warn({ err }, 'link worker error'));
  worker.on('failed', (job, err) => deps.logger.warn({ err, jobId: job?.id }, 'link job failed'));
  return worker;
}
