// Alert jobs into the street queues (docs/contracts.md, "Alerts to street offices"), and into alerts.unrouted for a
// household of one, which has no street: a heavy burden is never dropped for want of a registry record.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  alertJobId,
  alertPriority,
  streetQueueName,
  UNROUTED_ALERT_QUEUE,
  type AlertJobData,
} from '@warnline/contracts';
import type { DecisionWarning } from '@warnline/rules';

/**
 * The decision's warnings as they go into the job: a caseworker reading the alert must see, next to the
 * figures, that "上年度" income is an older year's or that a figure is not confirmed.
 */
export function alertWarnings(warnings: readonly DecisionWarning[]): NonNullable<AlertJobData['warnings']> {
  return warnings.map(({ parameter, ...rest }) => (parameter ? { ...rest, parameter: { ...parameter } } : rest));
}

export class AlertPublisher {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** The queue an alert goes to: its street's, or alerts.unrouted when no street is known. */
  static queueName(data: AlertJobData): string {
    return data.streetCode ? streetQueueName(data.streetCode) : UNROUTED_ALERT_QUEUE;
  }

  /** Adds the alert; the deterministic job id makes a second add of the same alert a no-op in BullMQ. */
  async raise(data: AlertJobData): Promise<void> {
    await this.queue(AlertPublisher.queueName(data)).add(data.level, data, {
      jobId: alertJobId(data.householdId, data.level, data.window.to),
      priority: alertPriority(data.level),
      removeOnComplete: false,
      removeOnFail: false,
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
