// The only place ingest reads the environment (conventions.md, habit 2).
import { z } from 'zod';
import { brokerList, logLevelSchema, parseEnv, port } from '@warnline/runtime';

export const ConfigSchema = z.object({
  /** HTTP port for the HIS and registry API. Default 8080. */
  INGEST_PORT: port.default(8080),
  /** Interface to listen on. Default 127.0.0.1; set 0.0.0.0 in a container. */
  INGEST_HOST: z.string().default('127.0.0.1'),
  /** Kafka bootstrap servers, comma-separated. Required. */
  KAFKA_BROKERS: brokerList,
  /** Prefix for every topic name ("" in production; tests use a unique one). */
  TOPIC_NAMESPACE: z.string().default(''),
  /** Partitions for topics this service creates when missing. Default 6. */
  TOPIC_PARTITIONS: z.coerce.number().int().min(1).default(6),
  /** Secret key of the HMAC that turns identity numbers into pseudonyms. Required, at least 32 characters. */
  PSEUDONYM_KEY: z.string().min(32, 'PSEUDONYM_KEY must be at least 32 characters'),
  /** Most items accepted in one POST body. Default 1000. */
  INGEST_MAX_BATCH: z.coerce.number().int().min(1).default(1000),
  /** Largest request body in bytes; larger answers 413. Default 4 MiB. */
  INGEST_BODY_LIMIT: z.coerce.number().int().min(1024).default(4 * 1024 * 1024),
  LOG_LEVEL: logLevelSchema.default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(ConfigSchema, env);
}
