// The only place the accumulator reads the environment (conventions.md, habit 2).
import { z } from 'zod';
import { brokerList, logLevelSchema, parseEnv, port } from '@warnline/runtime';

export const ConfigSchema = z.object({
  /** Kafka bootstrap servers, comma-separated. Required. */
  KAFKA_BROKERS: brokerList,
  /** Prefix for every topic name ("" in production; tests use a unique one). */
  TOPIC_NAMESPACE: z.string().default(''),
  /** Partitions for topics this service creates when missing. Default 6. */
  TOPIC_PARTITIONS: z.coerce.number().int().min(1).default(6),
  /** Consumer group shared by all accumulator instances. Default warnline-accumulator. */
  CONSUMER_GROUP: z.string().default('warnline-accumulator'),
  /** Redis for the totals and the BullMQ queues. Required. */
  REDIS_URL: z.string().url(),
  /** Prefix of every Redis key this service owns. Default wl. */
  REDIS_PREFIX: z.string().default('wl'),
  /** BullMQ prefix of the alert queues (contracts.md). Default warnline. */
  QUEUE_PREFIX: z.string().default('warnline'),
  /** Rule set of packages/rules used to evaluate households. Default shanghai. */
  RULE_SET: z.string().default('shanghai'),
  /** Evaluate "as of" this date instead of today in Asia/Shanghai (replays, tests). Default: the clock. */
  AS_OF: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  /** Port of /healthz. Default 8081. */
  ACCUMULATOR_PORT: port.default(8081),
  ACCUMULATOR_HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: logLevelSchema.default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(ConfigSchema, env);
}
