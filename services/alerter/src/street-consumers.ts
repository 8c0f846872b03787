// Consumes the street queues alerts.street.<code>: one BullMQ Worker per street. The alerter is the only
// consumer of these queues; completing a job means "recorded as an alert", and the job's return value
// names the alert (street systems follow that with QueueEvents, see the README). Which streets:
//   - ALERTER_STREETS from configuration,
//   - streets remembered in Redis (every street that ever had an alert),
//   - the street directory the producer keeps (a set, read at start and after every reconnect) and the
//     announcements it publishes when a street's queue gets its first alert: a new street is consumed at
//     once, without a restart and without waiting for a sweep,
//   - a periodic SCAN for the queues' meta keys, a safety net for queues filled by a producer that does not
//     announce (or an announcement lost while the alerter was disconnected and the directory emptied).
// Triage desks are consumed the same way: a district's desk `<district>000` reads alerts.triage.<district>,
// the city's desk `000000000` reads alerts.city.triage (always) and what is left in alerts.unrouted.
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  AlertJobDataSchema,
  CITY_TRIAGE_DESK,
  districtOfDesk,
  isTriageDesk,
  serviceError,
  STREET_CODE,
  streetDirectoryKey,
  streetQueueName,
  triageDeskQueueName,
  UNROUTED_ALERT_QUEUE,
  type AlertJobData,
} from '@warnline/contracts';
import { scanTargets } from '@warnline/runtime';
import type { AlertStore, Limits } from './alert-store.ts';
import type { Effects } from './effects.ts';
import { ALERT_LEVELS, type AlertLevel } from './keys.ts';
import type { Metrics } from './metrics.ts';
import type { QueueSet } from './queues.ts';

/** What a completed street job returns: the alert it went to and what happened. */
export interface StreetJobResult {
  alertId: string;
  result: 'opened' | 'level-raised' | 're-raised' | 'duplicate';
}

/** A transient failure (Redis or Kafka away) puts the job back this much later, without using an attempt. */
const RETRY_DELAY_MS = 2_000;

export interface StreetConsumerDeps {
  /** BullMQ's connection (each Worker adds its own blocking connection). */
  connection: Redis;
  /** The store's connection, for the street directory and the discovery SCAN (duplicated to subscribe). */
  redis: Redis;
  prefix: string;
  store: AlertStore;
  effects: Effects;
  queues: QueueSet;
  metrics: Metrics;
  logger: Logger;
  limits: Limits;
  configured: string[];
  discoveryIntervalMs: number;
}

export class StreetConsumers {
  private readonly workers = new Map<string, Worker<AlertJobData, StreetJobResult>>();
  private timer: NodeJS.Timeout | undefined;
  private subscriber: Redis | undefined;
  private discovering: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly deps: StreetConsumerDeps) {}

  async start(): Promise<void> {
    this.ensure(CITY_TRIAGE_DESK);
    this.consume(CITY_TRIAGE_DESK, UNROUTED_ALERT_QUEUE);
    for (const street of this.deps.configured) this.ensure(street);
    for (const street of (await this.deps.store.knownStreets()).keys()) this.ensure(street);
    await this.follow();
    if (this.deps.discoveryIntervalMs > 0) {
      await this.discover();
      this.timer = setInterval(() => {
        this.discovering ??= this.discover().finally(() => (this.discovering = undefined));
      }, this.deps.discoveryIntervalMs);
    }
  }

  /** The queues consumed (street and triage queues). */
  queueNames(): string[] {
    return [...this.workers.keys()];
  }

  /** Starts consuming a street's (or a triage desk's) queue (once). */
  ensure(street: string): void {
    if (!STREET_CODE.test(street)) return;
    this.consume(street, isTriageDesk(street) ? triageDeskQueueName(street) : streetQueueName(street));
  }

  /** Starts consuming a queue into a street or triage desk (once per queue). */
  private consume(street: string, name: string): void {
    if (this.closed || this.workers.has(name)) return;
    this.deps.queues.get(name); // shown in bull-board
    const worker = new Worker<AlertJobData, StreetJobResult>(name, (job, token) => this.process(street, job, token), {
      connection: this.deps.connection,
      prefix: this.deps.prefix,
      concurrency: 1,
    });
    worker.on('error', (err) => this.deps.logger.warn({ err, street }, 'street worker error'));
    worker.on('failed', (job, err) =>
      this.deps.logger.error({ err, street, jobId: job?.id }, 'street job refused for good'),
    );
    this.workers.set(name, worker);
    this.deps.logger.info({ street, queue: name }, 'consuming street queue');
  }

  private async process(
    street: string,
    job: Job<AlertJobData, StreetJobResult>,
    token: string | undefined,
  ): Promise<StreetJobResult> {
    // Parse at the edge: a malformed job fails for good (kept in the failed set for an operator), never a loop.
    const parsed = AlertJobDataSchema.safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(
        `job data does not match the alert contract: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
      );
    const data = isTriageDesk(street) ? this.atDesk(street, job.queueName, parsed.data) : parsed.data;
    if (data.streetCode !== street) throw new UnrecoverableError('job data names another street than its queue');
    if (!(ALERT_LEVELS as readonly string[]).includes(data.level))
      throw new UnrecoverableError(`level ${data.level} raises no alert`);
    if (job.id === undefined) throw new UnrecoverableError('job without id');
    try {
      const result = await this.deps.store.ingestJob(
        job.id,
        data,
        data.level as AlertLevel,
        new Date(),
        this.deps.limits,
      );
      // The store retries a stale read itself; one that still reaches here is retried as a job.
      if (result.kind === 'stale') throw serviceError('ALERT_CONTENDED');
      if (result.kind !== 'duplicate') {
        this.deps.metrics.event(result.kind);
        await this.deps.effects.runOrDefer(result.event);
      }
      return { alertId: result.alertId, result: result.kind };
    } catch (err) {
      // The producer adds jobs with one attempt; a Redis blip must not fail an alert for good. Move the job
      // back to delayed (no attempt used) and let BullMQ deliver it again.
      this.deps.logger.warn({ err, street, jobId: job.id }, 'recording the alert failed; retrying the job later');
      await job.moveToDelayed(Date.now() + RETRY_DELAY_MS, token);
      throw new DelayedError();
    }
  }

  /**
   * A triage job names no street (`""`) and its desk's district (null: the city's). Recorded under the desk's
   * code, so the desk's keys, ids and scopes follow. A job of alerts.unrouted (written before triage existed)
   * goes to the city's desk whatever it says.
   */
  private atDesk(desk: string, queueName: string, data: AlertJobData): AlertJobData {
    if (data.streetCode !== '') throw new UnrecoverableError('a triage job names no street');
    const legacy = queueName === UNROUTED_ALERT_QUEUE;
    if (!legacy && (data.districtCode ?? null) !== districtOfDesk(desk))
      throw new UnrecoverableError('job data names another district than its triage queue');
    return { ...data, streetCode: desk, districtCode: districtOfDesk(desk) };
  }

  /**
   * Subscribes to the producer's announcements, then reads the directory, so that no street announced in
   * between is missed. ioredis resubscribes after a reconnect; the directory is read again then, for the
   * announcements made while the connection was down.
   */
  private async follow(): Promise<void> {
    const key = streetDirectoryKey(this.deps.prefix);
    const subscriber = this.deps.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string, street: string) => {
      if (channel === key) this.ensure(street);
    });
    subscriber.on('error', (err) => this.deps.logger.warn({ err }, 'street announcements: connection error'));
    let first = true;
    subscriber.on('ready', () => {
      if (first) return;
      void this.readDirectory(key);
    });
    await subscriber.subscribe(key);
    first = false;
    await this.readDirectory(key);
  }

  private async readDirectory(key: string): Promise<void> {
    try {
      for (const street of await this.deps.redis.smembers(key)) this.ensure(street);
    } catch (err) {
      this.deps.logger.warn({ err }, 'reading the street directory failed; the sweep is the safety net');
    }
  }

  /** SCAN (every primary, on a cluster) for street and district triage queues that exist in Redis but have no worker yet. */
  async discover(): Promise<void> {
    await this.sweep('alerts.street.', (code) => code);
    await this.sweep('alerts.triage.', (district) => `${district}000`);
  }

  private async sweep(queuePrefix: string, codeOf: (suffix: string) => string): Promise<void> {
    const glob = `${this.deps.prefix.replace(/[*?[\]\\]/g, '\\$&')}:${queuePrefix}*:meta`;
    const start = this.deps.prefix.length + 1 + queuePrefix.length;
    try {
      for (const node of scanTargets(this.deps.redis)) {
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', glob, 'COUNT', 1000);
          cursor = next;
          for (const key of keys) this.ensure(codeOf(key.slice(start, -':meta'.length)));
        } while (cursor !== '0');
      }
    } catch (err) {
      this.deps.logger.warn({ err }, 'street discovery failed; next pass retries');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.subscriber?.quit().catch(() => undefined);
    await this.discovering;
    await Promise.all([...this.workers.values()].map((w) => w.close()));
  }
}
