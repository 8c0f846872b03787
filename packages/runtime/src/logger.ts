// One pino logger per process. Anything that may carry an identity number or a secret is redacted here,
// once, so a careless `log.info({ claim })` elsewhere cannot leak it (DEVELOPERS.md, Privacy).
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
