// The BullMQ queues the alerter adds to or shows: street queues (bull-board), district queues
// (escalations), referrals.charity and the timer queue. One Queue object per name, made on first use, all on
// the BullMQ connection, never the store's: a burst of queue traffic then never delays a caseworker's request.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** Internal queue of delayed jobs that fire when a time limit passes (not part of the contract). */
export const TIMER_QUEUE = 'alerter.timers';

export class QueueSet {
  private readonly queues = new Map<string, Queue>();
  private readonly listeners: ((queue: Queue) => void)[] = [];

  constructor(
    private readonly connection: Redis,
    readonly prefix: string,
  ) {}

  get(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      this.queues.set(name, queue);
      for (const listener of this.listeners) listener(queue);
    }
    return queue;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  /** Called for every queue made from now on (bull-board shows queues as they appear). */
  onQueue(listener: (queue: Queue) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}
