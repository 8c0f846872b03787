// The only place the accumulator reads the environment: every setting is parsed once, here, at start.
import { z } from 'zod';
import { DEFAULT_RETENTION_MONTHS, isCalendarDate } from '@warnline/contracts';
import { brokerList, redisClusterNodes, logLevelSchema, parseEnv, port } from '@warnline/runtime';

export const ConfigSchema = z.object({
  /** Kafka bootstrap servers, comma-separated. Required. */
  KAFKA_BROKERS: brokerList,
  /** Prefix for every topic name. Default "" (production); tests use a unique one. */
  TOPIC_NAMESPACE: z.string().default(''),
  /** Partitions for topics this service creates when missing. Default 6. */
  TOPIC_PARTITIONS: z.coerce.number().int().min(1).default(6),
  /** Consumer group shared by all accumulator instances. Default warnline-accumulator. */
  CONSUMER_GROUP: z.string().default('warnline-accumulator'),
  /**
   * Partitions one instance processes at the same time (kafkajs `partitionsConsumedConcurrently`). Each batch
   * still runs its steps in order and commits only its own offsets. Default 6 (the default partition count):
   * one evaluation round then covers the batches of every partition the instance holds.
   */
  PARTITIONS_CONSUMED_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(6),
  /**
   * Members of the consumer group this instance runs, each fetching its own share of the partitions, all
   * feeding one evaluation scheduler: one member's batches are fetched and applied while the round of the
   * other's runs (consumer-loop.ts). Default 2.
   */
  KAFKA_CONSUMERS: z.coerce.number().int().min(1).max(16).default(2),
  /**
   * Most bytes fetched per partition in one fetch: bigger batches let one evaluation cover more claims of the
   * same household. Default 4194304 (4 MiB).
   */
  KAFKA_MAX_BYTES_PER_PARTITION: z.coerce
    .number()
    .int()
    .min(65_536)
    .default(4 * 1024 * 1024),
  /**
   * Kafka consumer session timeout: how long a crashed instance holds its partitions before the group moves
   * them. Default 30000 ms.
   */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).default(30_000),
  /** Redis for the totals, the household status and the BullMQ queues. Required unless REDIS_CLUSTER_NODES is set. */
  REDIS_URL: z.string().url().optional(),
  /** Redis Cluster seed nodes, comma-separated host:port; when set, used instead of REDIS_URL. Default: none. */
  REDIS_CLUSTER_NODES: redisClusterNodes,
  /** Prefix of every Redis key this service owns. Default wl. */
  REDIS_PREFIX: z.string().default('wl'),
  /** BullMQ prefix of the alert queues (docs/contracts.md) and of the roll-over queue. Default warnline. */
  QUEUE_PREFIX: z.string().default('warnline'),
  /** Rule set of packages/rules used to evaluate households. Default shanghai. */
  RULE_SET: z.string().default('shanghai'),
  /**
   * Directory of rule-set data files (`*.json`) merged over the rule sets' built-in yearly figures at start
   * (packages/rules README); invalid data stops the process. Default: none, the built-in figures only.
   */
  RULE_SET_DATA_DIR: z.string().min(1).optional(),
  /** Evaluate "as of" this date instead of today in Asia/Shanghai (replays, tests). Default: the clock. */
  AS_OF: z.string().refine(isCalendarDate, 'a calendar date YYYY-MM-DD').optional(),
  /**
   * Months of claims kept, counting the current one: the 12-month window plus a margin for late claims.
   * Claims older than this are dead-lettered (SERVICE_DATE_TOO_OLD); it is also the dedup horizon. Same
   * setting and default as ingest. Default 14.
   */
  RETENTION_MONTHS: z.coerce.number().int().min(12).max(120).default(DEFAULT_RETENTION_MONTHS),
  /**
   * Cron pattern (Asia/Shanghai) of the month roll-over that re-evaluates every household with burden, so that
   * levels fall as old months leave the window. Default "5 0 1 * *" (00:05 on the first day of each month).
   */
  ROLLOVER_CRON: z.string().default('5 0 1 * *'),
  /** Whether this instance registers the roll-over scheduler and works its jobs. Default true. */
  ROLLOVER_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Shards of the index of persons with burden (one sorted set each, for Redis Cluster). Default 16. */
  ACTIVE_INDEX_SHARDS: z.coerce.number().int().min(1).max(4096).default(16),
  /** Households evaluated per round trip group; the consumer heartbeats between groups. Default 2000. */
  EVALUATION_CHUNK: z.coerce.number().int().min(1).default(2000),
  /**
   * Groups of EVALUATION_CHUNK households a round evaluates at once: one decides while others wait for Redis or
   * the broker. Groups hold different households, so they never race. Default 4.
   */
  EVALUATION_CHUNKS_IN_FLIGHT: z.coerce.number().int().min(1).max(64).default(4),
  /**
   * Longest a touched household waits for its evaluation round to start, in milliseconds: households touched by
   * the batches of that span (all partitions of this instance) are evaluated once together. Part of the
   * latency from a claim to its alert. Default 50.
   */
  EVALUATION_DELAY_MS: z.coerce.number().int().min(0).max(5000).default(50),
  /**
   * Attempts of a batch that throws an error a restart cannot cure, then of each of its records one by one,
   * before the record that keeps failing is parked on accumulator.parked.v1 and the partition goes on.
   * Errors a restart can cure (Redis or Kafka unavailable) are never counted here: they stall the batch.
   * Default 3.
   */
  PARK_AFTER_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  /** Milliseconds before the second of those attempts, doubling with each further one. Default 200. */
  PARK_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).max(60_000).default(200),
  /** Port of /healthz and /metrics. Default 8081. */
  ACCUMULATOR_PORT: port.default(8081),
  /** Interface of /healthz and /metrics. Default 127.0.0.1. */
  ACCUMULATOR_HOST: z.string().default('127.0.0.1'),
  /** pino level. Default info. */
  LOG_LEVEL: logLevelSchema.default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(ConfigSchema, env);
}

/** Settings of the replay of parked records (cli/replay-parked.ts). */
export const ReplayConfigSchema = z.object({
  /** Kafka bootstrap servers, comma-separated. Required. */
  KAFKA_BROKERS: brokerList,
  /** Prefix of every topic name, as the accumulator's. Default "". */
  TOPIC_NAMESPACE: z.string().default(''),
  /** pino level. Default info. */
  LOG_LEVEL: logLevelSchema.default('info'),
});

export type ReplayConfig = z.infer<typeof ReplayConfigSchema>;

export function loadReplayConfig(env: NodeJS.ProcessEnv = process.env): ReplayConfig {
  return parseEnv(ReplayConfigSchema, env);
}
