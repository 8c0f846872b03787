// One pino logger per process. Anything that may carry an identity number or a secret is redacted here,
// once, so a careless `log.info({ claim })` elsewhere cannot leak it.
import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths pino censors wherever they appear (one and two levels deep, arrays included). */
export const REDACT_PATHS = [
  'personId',
  '*.personId',
  '*.*.personId',
  'members[*].personId',
  '*.members[*].personId',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  // The person a claim-status request names: an identity number.
  'headers["x-person-id"]',
  '*.headers["x-person-id"]',
  'req.headers["x-person-id"]',
  'token',
  '*.token',
  'pseudonymKey',
  '*.pseudonymKey',
  'tokens',
  '*.tokens',
  // A revealed identity (ingest's reveal answer, the alerter's): never a log line, whoever logs it.
  'identities',
  '*.identities',
  '*.*.identities',
  'identityKeys',
  '*.identityKeys',
];

export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    name: service,
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

type PinoLevel = 'error' | 'warn' | 'info' | 'debug';

/** kafkajs' numeric levels (logLevel.ERROR … DEBUG), without importing kafkajs here. */
const KAFKAJS_LEVELS: Record<number, PinoLevel> = { 1: 'error', 2: 'warn', 4: 'info', 5: 'debug' };

// Broker error messages kafkajs itself classes as retriable ("The coordinator is loading…", "There is no
// leader for this topic-partition…"). kafkajs logs every error response at error level, then retries it:
// while a broker or group coordinator starts, that is routine, and an operation whose retries run out
// fails (and is logged) where it was called.
const RETRIABLE_BROKER_ERRORS: ReadonlySet<string> = (() => {
  try {
    const { errorCodes } = createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as {
      errorCodes: { retriable: boolean; message: string }[];
    };
    return new Set(errorCodes.filter((e) => e.retriable).map((e) => e.message));
  } catch {
    return new Set<string>();
  }
})();

// A consumer group's rebalance (a member joins or leaves: a start, a stop, an accumulator's second member)
// is routine: kafkajs answers it by re-joining, yet logs the heartbeat's answer at error and the re-join at
// warn. A group that cannot settle shows as lag and a stalled commit, which have their own metrics.
const ROUTINE_GROUP_ERRORS: ReadonlySet<string> = new Set(['The group is rebalancing, so a rejoin is needed']);

// Notices kafkajs prints on every start that say nothing about this run:
//  - the partitioner notice is about upgrading from kafkajs 1.x; warnline always used the 2.x default;
//  - the idempotent-producer notice: retries are bounded on purpose (a send that keeps failing is answered
//    503 or replayed from Kafka, never retried for ever), and no consumer relies on the producer for
//    exactly-once: every effect downstream is idempotent (claim ids, deterministic job ids).
const KNOWN_NOTICES = [
  /^KafkaJS v2\.0\.0 switched default partitioner/,
  /^Limiting retries for the idempotent producer/,
];

/**
 * The pino level for one kafkajs log line: its own level, except retriable broker responses and a group's
 * rebalance (info) and the known start-up notices (debug).
 */
export function kafkaLogLevel(level: number, message: string, extra: Record<string, unknown>): PinoLevel {
  if (KNOWN_NOTICES.some((re) => re.test(message))) return 'debug';
  const mapped = KAFKAJS_LEVELS[level] ?? 'info';
  if (typeof extra.error === 'string' && ROUTINE_GROUP_ERRORS.has(extra.error))
    return mapped === 'debug' ? 'debug' : 'info';
  if (mapped === 'error' && typeof extra.error === 'string' && RETRIABLE_BROKER_ERRORS.has(extra.error)) return 'info';
  return mapped;
}

/** kafkajs' `logCreator`: its lines into the service's pino logger, at the levels of kafkaLogLevel. */
export function kafkaLogCreator(logger: Logger) {
  const log = logger.child({ component: 'kafkajs' });
  return () => (entry: { namespace: string; level: number; log: { message: string } & Record<string, unknown> }) => {
    const { message, ...extra } = entry.log;
    log[kafkaLogLevel(entry.level, message, extra)]({ namespace: entry.namespace, ...extra }, message);
  };
}
