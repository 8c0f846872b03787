// The only place the console reads the environment: parsed once at start, so a bad value stops the process
// (exit 78) before it opens a port, and everything else receives typed values.
import { z } from 'zod';
import { logLevelSchema, parseEnv, port, redisClusterNodes } from '@warnline/runtime';

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

export const ConfigSchema = z.object({
  /**
   * Base URL of the alerter's caseworker API (`http://127.0.0.1:8082`). Required. Every figure the console
   * shows is read from it with the signed-in user's own token, so a screen never shows more than the token
   * may see.
   */
  ALERTER_URL: z
    .string()
    .url()
    .transform((u) => u.replace(/\/+$/, '')),
  /**
   * Redis for the sessions (session id → token, expiring after the idle time). This or REDIS_CLUSTER_NODES is
   * required.
   */
  REDIS_URL: z.string().url().optional(),
  /**
   * Redis Cluster seed nodes, comma-separated host:port; when set, the sessions are kept there and REDIS_URL
   * is not used (each session is one key, so any slot will do). Default: none.
   */
  REDIS_CLUSTER_NODES: redisClusterNodes,
  /** Prefix of the console's Redis keys (`<prefix>:console:session:…`). Default wl. */
  REDIS_PREFIX: z.string().min(1).default('wl'),
  /** HTTP port of the console. Default 8084. */
  CONSOLE_PORT: port.default(8084),
  /** Interface to listen on. Default 127.0.0.1; set 0.0.0.0 in a container. */
  CONSOLE_HOST: z.string().default('127.0.0.1'),
  /** Minutes without a request after which a session ends and the user signs in again. Default 30. */
  CONSOLE_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /**
   * `true` when the console is reached over https (behind a TLS proxy): cookies then carry `Secure`, so the
   * browser never sends them over plain http. Default false (a console on a workstation's loopback).
   */
  CONSOLE_SECURE_COOKIES: flag,
  /** Time limit of one call to the alerter, in milliseconds. Default 10000. */
  CONSOLE_ALERTER_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  LOG_LEVEL: logLevelSchema.default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(ConfigSchema, env);
}
