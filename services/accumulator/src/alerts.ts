// Alert jobs into the street queues (contracts.md, "Alerts to street offices").
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { alertJobId, alertPriority, streetQueueName, type AlertJobData } from '@warnline/contracts';

export class AlertPublisher {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly connection: Redis, private readonly prefix: string) {}

  private queue(streetCode: string): Queue {
    const name = streetQueueName(streetCode);
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Adds the alert; the deterministic job id makes a second add of the same alert a no-op in BullMQ. */
  async raise(data: AlertJobData): Promise<void> {
    await this.queue(data.streetCode).add(data.level, data, {
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
