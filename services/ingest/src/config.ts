// The only place ingest reads the environment.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_RETENTION_MONTHS } from '@warnline/contracts';
import {
  brokerList,
  redisClusterNodes,
  logLevelSchema,
  parseEnv,
  port,
  readTokenList,
  tokenName,
  tokenSecret,
} from '@warnline/runtime';
import { parseIdentityKeys } from './identity-cipher.ts';

/**
 * One bearer token of INGEST_TOKENS. A hospital token names the institution codes it may submit claims
 * for ("*" = any, for a regional platform that relays many hospitals); a registry token submits households.
 */
export const TokenEntrySchema = z
  .object({
    /** Shown in logs, metrics-free audit and dead letters instead of the token. Default "token-<n>". */
    name: tokenName.optional(),
    /** The secret. At least 16 characters, so it cannot be guessed online. */
    token: tokenSecret,
    role: z.enum(['hospital', 'registry']),
    institutions: z.array(z.string().min(1)).min(1).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.role === 'hospital' && t.institutions === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['institutions'],
        message: 'a hospital token must list its institution codes (or "*")',
      });
    }
    if (t.role === 'registry' && t.institutions !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['institutions'],
        message: 'a registry token submits no claims: drop institutions',
      });
    }
  });
export type TokenEntry = z.infer<typeof TokenEntrySchema>;

/** One token of INTERNAL_TOKENS: a warnline service allowed to ask for identities (the alerter). */
export const InternalTokenSchema = z.object({
  /** Shown in ingest's log instead of the token. */
  name: tokenName,
  /** The secret. At least 16 characters, so it cannot be guessed online. */
  token: tokenSecret,
});
export type InternalToken = z.infer<typeof InternalTokenSchema>;

/** The identity store's settings, when IDENTITY_KEYS is set. */
export interface IdentitySettings {
  keys: Map<string, Buffer>;
  currentKeyId: string;
  /** The identity store's Redis: a single one, or the seed nodes of a Redis Cluster (one of the two). */
  redis: { REDIS_URL?: string; REDIS_CLUSTER_NODES?: string[] };
  prefix: string;
  recentMax: number;
}

const booleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ConfigSchema = z
  .object({
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
    /** Most items accepted in one POST body; more answers 413. Default 1000. */
    INGEST_MAX_BATCH: z.coerce.number().int().min(1).default(1000),
    /** Largest request body in bytes; larger answers 413. Default 4 MiB. */
    INGEST_BODY_LIMIT: z.coerce
      .number()
      .int()
      .min(1024)
      .default(4 * 1024 * 1024),
    /**
     * Bearer tokens as JSON: `[{"name":"ruijin","token":"…","role":"hospital","institutions":["H31011000012"]},
     * {"name":"registry","token":"…","role":"registry"}]`. Default: none, and then every POST answers 401
     * (fail closed) while the Kafka input still runs. Use INGEST_TOKENS_FILE to keep them out of the environment.
     */
    INGEST_TOKENS: z.string().optional(),
    /** Path of a file holding JSON like INGEST_TOKENS (a mounted secret). Set one of the two, not both. Default: none. */
    INGEST_TOKENS_FILE: z.string().optional(),
    /**
     * Months of claims the accumulator keeps, counting the current month. A service date before the first
     * kept month is refused with SERVICE_DATE_TOO_OLD, since the accumulator could not count it. Default 14:
     * the 12-month window + 2 months of margin for late claims. Must equal the accumulator's setting.
     */
    RETENTION_MONTHS: z.coerce.number().int().min(12).max(120).default(DEFAULT_RETENTION_MONTHS),
    /** Consume his.claims.raw.v1 and registry.households.v1 as well as HTTP. Default true. */
    INGEST_KAFKA_INPUT: booleanFlag.default(true),
    /**
     * Consumer group of the Kafka input, shared by all ingest instances. Default `<TOPIC_NAMESPACE>warnline-ingest`
     * (namespaced so parallel test runs and demos never share a group).
     */
    INGEST_CONSUMER_GROUP: z.string().min(1).optional(),
    /**
     * Longest one Kafka send (one request of at most 512 KiB; an HTTP request's writes take one or a few)
     * waits for Kafka's acknowledgement. Then the send fails, the producer is replaced, an HTTP request
     * answers 503 and the Kafka input retries. Default 10000 ms. A write still in flight may land later;
     * the client's retry is then a harmless duplicate.
     */
    INGEST_PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    /**
     * The accumulator's Redis, read (never written) by GET /v1/claims/{claimId} to say what became of a claim.
     * Default: none, and then that route answers 503 STATUS_UNAVAILABLE.
     */
    REDIS_URL: z.string().url().optional(),
    /** Redis Cluster seed nodes, comma-separated host:port; when set, used instead of REDIS_URL. Default: none. */
    REDIS_CLUSTER_NODES: redisClusterNodes,
    /** The accumulator's REDIS_PREFIX (its keys are read as it writes them). Default "wl". */
    REDIS_PREFIX: z.string().min(1).default('wl'),
    /**
     * Levels of the institutions that send national-platform exchanges, as JSON `{"H31011000012": 3}`
     * (1 community, 2 district, 3 tertiary): the platform's settlement does not say it, the claim needs it.
     * An exchange from an institution not listed is refused with INSTITUTION_LEVEL_UNKNOWN. Default `{}`.
     */
    INGEST_INSTITUTION_LEVELS: z
      .string()
      .default('{}')
      .transform((text, ctx) => parseLevels(text, ctx)),
    /**
     * Keys that seal identity numbers at rest (AES-256-GCM), comma-separated `keyId:base64key` (32-byte keys,
     * ids of [A-Za-z0-9_-]). Keep a retired key listed while records sealed with it should stay readable.
     * Default: none, and then no identity is kept and the reveal route answers 503. Or IDENTITY_KEYS_FILE.
     */
    IDENTITY_KEYS: z.string().optional(),
    /** Path of a file holding the IDENTITY_KEYS list (a mounted secret). Set one of the two, not both. Default: none. */
    IDENTITY_KEYS_FILE: z.string().optional(),
    /** The key id that seals new identity records; one of IDENTITY_KEYS. Required with IDENTITY_KEYS. */
    IDENTITY_KEY_ID: z.string().optional(),
    /**
     * Redis that keeps the sealed identities (written by ingest only). With IDENTITY_KEYS, this or
     * IDENTITY_REDIS_CLUSTER_NODES is required.
     */
    IDENTITY_REDIS_URL: z.string().url().optional(),
    /**
     * Seed nodes of a Redis Cluster that keeps the sealed identities, comma-separated host:port; when set,
     * used instead of IDENTITY_REDIS_URL. Default: none.
     */
    IDENTITY_REDIS_CLUSTER_NODES: redisClusterNodes,
    /** Prefix of the identity keys: `<IDENTITY_PREFIX>:identity:<pseudonym>`. Default "wl". */
    IDENTITY_PREFIX: z.string().min(1).default('wl'),
    /** Most pseudonyms remembered as stored, so a busy person's identity is not written again. Default 200000. */
    IDENTITY_RECENT_MAX: z.coerce.number().int().min(0).default(200_000),
    /**
     * Tokens of the services that may call POST /internal/v1/identities/reveal, as JSON
     * `[{"name":"alerter","token":"…"}]`. Default: none, and then that route answers 401. Or INTERNAL_TOKENS_FILE.
     */
    INTERNAL_TOKENS: z.string().optional(),
    /** Path of a file holding JSON like INTERNAL_TOKENS (a mounted secret). Set one of the two, not both. Default: none. */
    INTERNAL_TOKENS_FILE: z.string().optional(),
    LOG_LEVEL: logLevelSchema.default('info'),
  })
  .transform((env, ctx) => {
    const {
      INGEST_TOKENS,
      INGEST_TOKENS_FILE,
      INTERNAL_TOKENS,
      INTERNAL_TOKENS_FILE,
      IDENTITY_KEYS,
      IDENTITY_KEYS_FILE,
      IDENTITY_KEY_ID,
      IDENTITY_REDIS_URL,
      IDENTITY_REDIS_CLUSTER_NODES,
      IDENTITY_PREFIX,
      IDENTITY_RECENT_MAX,
      ...rest
    } = env;
    const tokens = readTokenList(
      TokenEntrySchema,
      { variable: 'INGEST_TOKENS', inline: INGEST_TOKENS, file: INGEST_TOKENS_FILE },
      ctx,
    );
    const internalTokens = readTokenList(
      InternalTokenSchema,
      { variable: 'INTERNAL_TOKENS', inline: INTERNAL_TOKENS, file: INTERNAL_TOKENS_FILE },
      ctx,
    );
    const keysText = readSecret('IDENTITY_KEYS', IDENTITY_KEYS, IDENTITY_KEYS_FILE, ctx);
    let identity: IdentitySettings | null = null;
    if (keysText !== undefined && keysText.trim() !== '') {
      const { keys, problems } = parseIdentityKeys(keysText);
      for (const message of problems) ctx.addIssue({ code: 'custom', path: ['IDENTITY_KEYS'], message });
      if (IDENTITY_KEY_ID === undefined || !keys.has(IDENTITY_KEY_ID))
        ctx.addIssue({ code: 'custom', path: ['IDENTITY_KEY_ID'], message: 'must name one of IDENTITY_KEYS' });
      const onCluster = (IDENTITY_REDIS_CLUSTER_NODES?.length ?? 0) > 0;
      if (IDENTITY_REDIS_URL === undefined && !onCluster)
        ctx.addIssue({
          code: 'custom',
          path: ['IDENTITY_REDIS_URL'],
          message: 'IDENTITY_REDIS_URL or IDENTITY_REDIS_CLUSTER_NODES is required with IDENTITY_KEYS',
        });
      identity = {
        keys,
        currentKeyId: IDENTITY_KEY_ID ?? '',
        redis: onCluster
          ? { REDIS_CLUSTER_NODES: IDENTITY_REDIS_CLUSTER_NODES }
          : { ...(IDENTITY_REDIS_URL === undefined ? {} : { REDIS_URL: IDENTITY_REDIS_URL }) },
        prefix: IDENTITY_PREFIX,
        recentMax: IDENTITY_RECENT_MAX,
      };
    }
    return { ...rest, tokens, internalTokens, identity };
  });

/** A secret given inline or as a file path (`<name>_FILE`), never both; messages never quote it. */
function readSecret(
  name: string,
  inline: string | undefined,
  file: string | undefined,
  ctx: z.RefinementCtx,
): string | undefined {
  if (inline !== undefined && file !== undefined) {
    ctx.addIssue({ code: 'custom', path: [name], message: `set ${name} or ${name}_FILE, not both` });
    return undefined;
  }
  if (file === undefined) return inline;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    ctx.addIssue({ code: 'custom', path: [`${name}_FILE`], message: 'the file cannot be read' });
    return undefined;
  }
}

const LevelsSchema = z.record(z.string().min(1), z.union([z.literal(1), z.literal(2), z.literal(3)]));

/** INGEST_INSTITUTION_LEVELS as JSON text → the levels, or an issue on `ctx` (shared by the backfill command). */
export function parseLevels(text: string, ctx: z.RefinementCtx): Record<string, 1 | 2 | 3> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'INGEST_INSTITUTION_LEVELS is not valid JSON' });
    return {};
  }
  const parsed = LevelsSchema.safeParse(json);
  if (!parsed.success) {
    ctx.addIssue({ code: 'custom', message: 'INGEST_INSTITUTION_LEVELS must map institution codes to 1, 2 or 3' });
    return {};
  }
  return parsed.data;
}

export type Env = z.infer<typeof ConfigSchema>;

export type Config = Omit<Env, 'INGEST_CONSUMER_GROUP'> & { INGEST_CONSUMER_GROUP: string };

/** The parsed environment with its derived defaults filled in. */
export function toConfig(env: Env): Config {
  const { INGEST_CONSUMER_GROUP, ...rest } = env;
  return { ...rest, INGEST_CONSUMER_GROUP: INGEST_CONSUMER_GROUP ?? `${env.TOPIC_NAMESPACE}warnline-ingest` };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return toConfig(parseEnv(ConfigSchema, env));
}
