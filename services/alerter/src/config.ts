// The only place the alerter reads the environment (conventions.md, habit 2).
import { z } from 'zod';
import { logLevelSchema, parseEnv, port } from '@warnline/runtime';

export const ConfigSchema = z.object({
  /** Redis holding the BullMQ alert queues. Required. */
  REDIS_URL: z.string().url(),
  /** BullMQ prefix of the alert queues (contracts.md). Default warnline. */
  QUEUE_PREFIX: z.string().default('warnline'),
  /** HTTP port of the caseworker API. Default 8082. */
  ALERTER_PORT: port.default(8082),
  ALERTER_HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: logLevelSchema.default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(ConfigSchema, env);
}
