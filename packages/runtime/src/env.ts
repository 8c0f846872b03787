// Pieces of the zod environment schemas that every service's config.ts shares.
import { z } from 'zod';

/** "a:9092,b:9092" → ["a:9092", "b:9092"] */
export const brokerList = z
  .string()
  .min(1)
  .transform((s) =>
    s
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  );

/** "host:port,host:port" seed nodes of a Redis Cluster; when set, the service uses the cluster, not REDIS_URL. */
export const redisClusterNodes = brokerList.optional();

export const logLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const port = z.coerce.number().int().min(0).max(65535);

/** Parses the environment once, printing every problem (without values: they may be secrets) on failure. */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    process.stderr.write(`configuration error:\n${problems}\n`);
    process.exit(78); // EX_CONFIG: a restart will not help, so supervisors should not crash-loop on it.
  }
  return result.data;
}
