// The only place the alerter reads the environment: parsed once at start, so a bad value stops the process
// before it touches Redis or Kafka, and everything else receives typed values.
import { z } from 'zod';
import { DISTRICT_CODE, isTriageDesk, STREET_CODE } from '@warnline/contracts';
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

const streetCode = z.string().regex(STREET_CODE, 'a street code is 9 digits');
const districtCode = z.string().regex(DISTRICT_CODE, 'a district code is 6 digits');

/**
 * One bearer token of ALERTER_TOKENS, with its scope: a street office (its own alerts), a district (the
 * alerts of its streets and its triage desk), the city (every alert, the city's triage desk included) or
 * admin (everything, and bull-board).
 */
export const TokenEntrySchema = z
  .discriminatedUnion('role', [
    z.object({
      role: z.literal('street'),
      // A triage desk's code (`<district>000`) has the shape of a street's; a street token never reaches one.
      street: streetCode.refine((c) => !isTriageDesk(c), 'a triage desk (…000) is not a street'),
    }),
    z.object({ role: z.literal('district'), district: districtCode }),
    z.object({ role: z.literal('city') }),
    z.object({ role: z.literal('admin') }),
  ])
  .and(
    z.object({
      /** Shown in history, audit and logs instead of the token. Required: it is the "who" of the audit. */
      name: tokenName,
      /** The secret. At least 16 characters, so it cannot be guessed online. */
      token: tokenSecret,
    }),
  );
export type TokenEntry = z.infer<typeof TokenEntrySchema>;

const positiveInt = z.coerce.number().int().min(1);

export const ConfigSchema = z
  .object({
    /** Redis for the alert records and the BullMQ queues. Required unless REDIS_CLUSTER_NODES is set. */
    REDIS_URL: z.string().url().optional(),
    /** Redis Cluster seed nodes, comma-separated host:port; when set, used instead of REDIS_URL. Default: none. */
    REDIS_CLUSTER_NODES: redisClusterNodes,
    /** Prefix of every Redis key of the alert records (`<prefix>:alerter:{st:<street>}:…`). Default wl. */
    REDIS_PREFIX: z.string().min(1).default('wl'),
    /** BullMQ prefix of the alert, district, charity and timer queues (an interface street offices integrate against). Default warnline. */
    QUEUE_PREFIX: z.string().min(1).default('warnline'),
    /** Kafka bootstrap servers, comma-separated, for alerts.audit.v1. Required. */
    KAFKA_BROKERS: brokerList,
    /** Prefix for every topic name ("" in production; tests use a unique one). Default "". */
    TOPIC_NAMESPACE: z.string().default(''),
    /** HTTP port of the caseworker API, /metrics and /admin/queues. Default 8082. */
    ALERTER_PORT: port.default(8082),
    /** Interface to listen on. Default 127.0.0.1; set 0.0.0.0 in a container. */
    ALERTER_HOST: z.string().default('127.0.0.1'),
    /**
     * Bearer tokens as JSON: `[{"name":"st-310113103","token":"…","role":"street","street":"310113103"},
     * {"name":"qu-310113","token":"…","role":"district","district":"310113"},{"name":"ops","token":"…","role":"admin"}]`.
     * Default: none, and then every API call answers 401 (fail closed) while alerts are still recorded and
     * escalated. Use ALERTER_TOKENS_FILE to keep them out of the environment.
     */
    ALERTER_TOKENS: z.string().optional(),
    /** Path of a file holding the same JSON as ALERTER_TOKENS (a mounted secret). Set one of the two, not both. Default: none. */
    ALERTER_TOKENS_FILE: z.string().optional(),
    /**
     * Street codes whose queues are consumed from the start, comma-separated. Default: none; streets are
     * then found through the street directory (and the sweep) and remembered in Redis.
     */
    ALERTER_STREETS: z
      .string()
      .default('')
      .transform((s, ctx) => {
        const list = s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        for (const code of list)
          if (!STREET_CODE.test(code)) ctx.addIssue({ code: 'custom', message: 'a street code is 9 digits' });
        return list;
      }),
    /**
     * How often to sweep for street queues not consumed yet (a SCAN for `<QUEUE_PREFIX>:alerts.street.*:meta`).
     * New streets are found at once through the street directory the producer announces them in; the sweep
     * is a safety net for queues nobody announced. Default 30000 ms; 0 turns the sweep off.
     */
    ALERTER_DISCOVERY_INTERVAL_MS: z.coerce.number().int().min(0).default(30_000),
    /** Time limit to acknowledge a new alert, in seconds. Default 172800 (48 hours). */
    ALERT_ACK_WITHIN_SECONDS: positiveInt.default(48 * 3600),
    /** Time limit to close an alert, counted from when it was opened, in seconds. Default 1296000 (15 days). */
    ALERT_CLOSE_WITHIN_SECONDS: positiveInt.default(15 * 86_400),
    /**
     * Time limit for a triage desk to assign (or close) an alert of a household of one, in working days
     * (Monday to Friday, Asia/Shanghai). A breach escalates to the city. Default 3.
     */
    TRIAGE_ASSIGN_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(3),
    /**
     * How often the outbox relay re-runs side effects (audit, timers, escalations, referrals) that a crash
     * interrupted, and how old an outbox entry must be before the relay takes it. Default 5000 ms.
     */
    ALERTER_OUTBOX_INTERVAL_MS: positiveInt.default(5_000),
    /**
     * Base URL of ingest for the audited reveal (`POST /internal/v1/identities/reveal`), e.g.
     * `http://127.0.0.1:8080`. Default: none, and then a reveal answers 503 REVEAL_UNAVAILABLE.
     */
    INGEST_INTERNAL_URL: z.string().url().optional(),
    /** The alerter's token in ingest's INTERNAL_TOKENS. Required with INGEST_INTERNAL_URL. */
    INGEST_INTERNAL_TOKEN: tokenSecret.optional(),
    /** Longest wait for ingest's answer to a reveal; then 503 REVEAL_UNAVAILABLE. Default 5000 ms. */
    REVEAL_TIMEOUT_MS: positiveInt.default(5_000),
    /** Reveals one token may make per clock hour (a fixed window); more answer 429. Default 20. */
    REVEAL_RATE_LIMIT: positiveInt.default(20),
    /** Days after its closing during which a closed alert's identities may still be revealed. Default 90. */
    REVEAL_CLOSED_MAX_DAYS: z.coerce.number().int().min(0).default(90),
    /**
     * Kafka consumer groups whose lag the alerter reports (`warnline_kafka_consumer_lag`, the admin pipeline
     * page), comma-separated. Default: the accumulator's and ingest's groups, `warnline-accumulator` and
     * `<TOPIC_NAMESPACE>warnline-ingest`.
     */
    ALERTER_LAG_GROUPS: z.string().optional(),
    /** The bull-board address the admin pipeline page links to. Default `/admin/queues` (this service's own). */
    ALERTER_BOARD_URL: z.string().default('/admin/queues'),
    /**
     * Prometheus that scrapes the services (`http://host:9090`), asked by the admin pipeline page for claims
     * per second, dead letters over time and each institution's last claim. Default: none (those parts are null).
     */
    ALERTER_PROMETHEUS_URL: z.string().url().optional(),
    /** Hours without a claim after which the pipeline page flags an institution's feed as silent. Default 6. */
    SILENT_FEED_HOURS: z.coerce.number().positive().default(6),
    LOG_LEVEL: logLevelSchema.default('info'),
  })
  .transform((env, ctx) => {
    const tokens = readTokenList(
      TokenEntrySchema,
      { variable: 'ALERTER_TOKENS', inline: env.ALERTER_TOKENS, file: env.ALERTER_TOKENS_FILE },
      ctx,
    );
    const { ALERTER_TOKENS: _inline, ALERTER_TOKENS_FILE: _file, ALERTER_LAG_GROUPS: lagGroups, ...rest } = env;
    if (rest.INGEST_INTERNAL_URL !== undefined && rest.INGEST_INTERNAL_TOKEN === undefined) {
      ctx.addIssue({ code: 'custom', path: ['INGEST_INTERNAL_TOKEN'], message: 'required with INGEST_INTERNAL_URL' });
    }
    const groups = (lagGroups ?? `warnline-accumulator,${env.TOPIC_NAMESPACE}warnline-ingest`)
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean);
    if (rest.ALERT_CLOSE_WITHIN_SECONDS < rest.ALERT_ACK_WITHIN_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['ALERT_CLOSE_WITHIN_SECONDS'],
        message: 'must not be shorter than ALERT_ACK_WITHIN_SECONDS',
      });
    }
    return { ...rest, tokens, ALERTER_LAG_GROUPS: groups };
  });

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(ConfigSchema, env);
}
