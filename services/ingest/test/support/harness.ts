// In-process pieces for the unit tier: the HTTP app with a publisher that records (or fails) instead of
// writing to Kafka, and fixed tokens.
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { createAuthenticator } from '../../src/auth.ts';
import { buildHttp } from '../../src/http.ts';
import { createIntake, type Outbound } from '../../src/intake.ts';
import { createMetrics, type Metrics } from '../../src/metrics.ts';
import { createPseudonymiser } from '../../src/pseudonym.ts';
import type { Publisher } from '../../src/publisher.ts';

export const KEY = 'unit-test-pseudonym-key-0123456789abcdef';
export const TOKENS = {
  hospital: 'hospital-token-0123456789abcdef',
  anyHospital: 'platform-token-0123456789abcdef',
  registry: 'registry-token-0123456789abcdef',
};

export const pseudonymise = createPseudonymiser(KEY);

export interface Harness {
  app: FastifyInstance;
  metrics: Metrics;
  written: Outbound[];
  /** Makes the next writes fail as Kafka would when it is down. */
  failWrites(fail: boolean): void;
}

export function harness(options: { maxBatch?: number; bodyLimit?: number; now?: () => Date } = {}): Harness {
  const written: Outbound[] = [];
  let failing = false;
  const publisher: Publisher = {
    async write(out) {
      if (failing) throw new Error('broker down');
      written.push(out);
    },
  };
  const metrics = createMetrics();
  const app = buildHttp({
    logger: pino({ level: 'silent' }),
    publisher,
    intake: createIntake({ pseudonymise, retentionMonths: 14 }),
    authenticator: createAuthenticator([
      { name: 'ruijin', token: TOKENS.hospital, role: 'hospital', institutions: ['H31011000012'] },
      { name: 'platform', token: TOKENS.anyHospital, role: 'hospital', institutions: ['*'] },
      { name: 'registry', token: TOKENS.registry, role: 'registry' },
    ]),
    metrics,
    maxBatch: options.maxBatch ?? 1000,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ...(options.now ? { now: options.now } : {}),
  });
  return { app, metrics, written, failWrites: (f) => (failing = f) };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
