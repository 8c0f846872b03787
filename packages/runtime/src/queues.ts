// BullMQ queues by name, each made on first use and kept: a producer that adds to many street queues then
// holds one Queue object per queue, all on the connection it was given (BullMQ's, never an application
// connection, so a burst of queue traffic never delays other commands).
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export class QueueSet {
  private readonly queues = new Map<string, Queue>();
  private readonly listeners: ((queue: Queue) => void)[] = [];

  constructor(
    private readonly connection: Redis,
    /** BullMQ prefix of every queue of the set. */
    readonly prefix: string,
  ) {}

  /** The queue of that name, made now if it is the first use. */
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

  /** Called for every queue made from now on (a dashboard shows queues as they appear). */
  onQueue(listener: (queue: Queue) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}
