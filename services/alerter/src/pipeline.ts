// Pipeline health as the alerter sees it from where it sits: how far the watched Kafka consumer groups are
// behind, how many jobs wait in the BullMQ queues it knows, and how much memory Redis uses. Read when
// Prometheus scrapes (metrics.ts) and for the admin pipeline page (http.ts); nothing here is personal data.
import type { Admin, Kafka } from 'kafkajs';
import type { Redis } from 'ioredis';
import type { QueueSet } from './queues.ts';

export interface GroupLag {
  group: string;
  topic: string;
  /** Messages not yet consumed: the end offsets minus the group's committed ones, over all partitions. */
  lag: number;
}

export interface QueueDepth {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** The job states a queue depth counts. */
export const QUEUE_DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

export interface PipelineProbe {
  consumerLag(): Promise<GroupLag[]>;
  queueDepths(): Promise<QueueDepth[]>;
  redisUsedMemoryBytes(): Promise<number>;
}

export function createPipelineProbe(deps: {
  kafka: Kafka;
  redis: Redis;
  queues: QueueSet;
  /** Consumer groups whose lag is reported. */
  groups: readonly string[];
}): PipelineProbe & { close(): Promise<void> } {
  let admin: Admin | null = null;
  const connected = async (): Promise<Admin> => {
    if (admin === null) {
      const a = deps.kafka.admin();
      await a.connect();
      admin = a;
    }
    return admin;
  };
  return {
    async consumerLag() {
      const a = await connected();
      const out: GroupLag[] = [];
      for (const group of deps.groups) {
        const committed = await a.fetchOffsets({ groupId: group });
        for (const { topic, partitions } of committed) {
          const ends = new Map((await a.fetchTopicOffsets(topic)).map((p) => [p.partition, p]));
          let lag = 0;
          for (const p of partitions) {
            const end = ends.get(p.partition);
            if (end === undefined) continue;
            // A partition the group never committed on counts from the earliest offset still kept.
            const from = Number(p.offset) >= 0 ? Number(p.offset) : Number(end.low);
            lag += Math.max(0, Number(end.high) - from);
          }
          out.push({ group, topic, lag });
        }
      }
      return out;
    },
    async queueDepths() {
      return Promise.all(
        deps.queues.all().map(async (queue) => {
          const counts = await queue.getJobCounts(...QUEUE_DEPTH_STATES);
          return {
            queue: queue.name,
            waiting: counts.waiting ?? 0,
            active: counts.active ?? 0,
            delayed: counts.delayed ?? 0,
            failed: counts.failed ?? 0,
          };
        }),
      );
    },
    async redisUsedMemoryBytes() {
      return Number(/used_memory:(\d+)/.exec(await deps.redis.info('memory'))?.[1] ?? Number.NaN);
    },
    async close() {
      await admin?.disconnect();
      admin = null;
    },
  };
}
