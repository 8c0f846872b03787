// The only place the backfill command reads the environment: the settings ingest and the accumulator share
// with it, parsed once at start. The same values as ingest's, or the load would not match the stream.
import { z } from 'zod';
import { DEFAULT_RETENTION_MONTHS } from '@warnline/contracts';
import { parseLevels } from '@warnline/ingest/config';
import { brokerList, logLevelSchema, parseEnv } from '@warnline/runtime';

export const ConfigSchema = z.object({
  /** Kafka bootstrap servers, comma-separated. Required unless --dry-run. */
  KAFKA_BROKERS: brokerList.optional(),
  /** Prefix for every topic name ("" in production), as ingest's. Default "". */
  TOPIC_NAMESPACE: z.string().default(''),
  /** Partitions of claims.v1 / households.v1 when the backfill has to create them. Default 6. */
  TOPIC_PARTITIONS: z.coerce.number().int().min(1).default(6),
  /** Ingest's pseudonym key: the same person must get the same pseudonym as in the stream. Required. */
  PSEUDONYM_KEY: z.string().min(32, 'PSEUDONYM_KEY must be at least 32 characters'),
  /** Months kept, counting the current one (SERVICE_DATE_TOO_OLD before them), as ingest's. Default 14. */
  RETENTION_MONTHS: z.coerce.number().int().min(12).max(120).default(DEFAULT_RETENTION_MONTHS),
  /**
   * Levels of the institutions of national-platform exchanges, as ingest's: JSON `{"H31011000012": 3}`.
   * An exchange of an institution not listed is rejected INSTITUTION_LEVEL_UNKNOWN. Default `{}`.
   */
  INGEST_INSTITUTION_LEVELS: z
    .string()
    .default('{}')
    .transform((text, ctx) => parseLevels(text, ctx)),
  /** Longest wait for Kafka to acknowledge one produce request; then the run stops (resume later). Default 30000 ms. */
  BACKFILL_PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** pino level of the few log lines (start, end, failures). Default warn. */
  LOG_LEVEL: logLevelSchema.default('warn'),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(ConfigSchema, env);
}
