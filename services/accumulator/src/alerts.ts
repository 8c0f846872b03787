// Alert jobs into the street queues (docs/contracts.md, "Alerts to street offices"), and into alerts.unrouted for a
// household of one, which has no street: a heavy burden is never dropped for want of a registry record.
import type { Redis } from 'ioredis';
import {
  alertJobId,
  alertPriority,
  streetDirectoryKey,
  streetQueueName,
  UNROUTED_ALERT_QUEUE,
  type AlertJobData,
} from '@warnline/contracts';
import type { DecisionWarning } from '@warnline/rules';
import { QueueSet } from '@warnline/runtime';

/**
 * The decision's warnings as they go into the job: a caseworker reading the alert must see, next to the
 * figures, that "上年度" income is an older year's or that a figure is not confirmed.
 */
export function alertWarnings(warnings: readonly DecisionWarning[]): NonNullable<AlertJobData['warnings']> {
  return warnings.map(({ parameter, ...rest }) => (parameter ? { ...rest, parameter: { ...parameter } } : rest));
}

export class AlertPublisher {
  private readonly queues: QueueSet;
  /** Streets this process has announced in the street directory (once each is enough). */
  private readonly announced = new Set<string>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {
    this.queues = new QueueSet(connection, prefix);
  }

  /** The queue an alert goes to: its street's, or alerts.unrouted when no street is known. */
  static queueName(data: AlertJobData): string {
    return data.streetCode ? streetQueueName(data.streetCode) : UNROUTED_ALERT_QUEUE;
  }

  /** Adds the alert; the deterministic job id makes a second add of the same alert a no-op in BullMQ. */
  async raise(data: AlertJobData): Promise<void> {
    await this.queues.get(AlertPublisher.queueName(data)).add(data.level, data, {
      jobId: alertJobId(data.householdId, data.level, data.window.to),
      priority: alertPriority(data.level),
      removeOnComplete: false,
      removeOnFail: false,
    });
    if (data.streetCode) await this.announce(data.streetCode);
  }

  /**
   * Records the street in the directory and tells a running alerter, so the first alert of a new street is
   * consumed at once instead of at the alerter's next sweep. After the add: the announced queue has its job.
   */
  private async announce(street: string): Promise<void> {
    if (this.announced.has(street)) return;
    const key = streetDirectoryKey(this.prefix);
    await this.connection.multi().sadd(key, street).publish(key, street).exec();
    this.announced.add(street);
  }

  async close(): Promise<void> {
    await this.queues.close();
  }
}
