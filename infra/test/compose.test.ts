// No Docker engine runs on the CI machines, so docker-compose.yml is never started there. This test keeps
// it honest instead: it parses, runs the same broker version as infra/kafka.sh, every variable it sets is
// one the service's config schema knows, every service that answers only to tokens is given them, and the
// files its comments point to exist.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KAFKA_VERSION, kafkaContainerEnv } from '../src/environment.ts';
import { ConfigSchema as IngestConfig } from '../../services/ingest/src/config.ts';
import { ConfigSchema as AccumulatorConfig } from '../../services/accumulator/src/config.ts';
import { ConfigSchema as AlerterConfig } from '../../services/alerter/src/config.ts';
import { ConfigSchema as ConsoleConfig } from '../../services/console/src/config.ts';

const root = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const compose = parse(text) as {
  services: Record<string, { image?: string; environment?: Record<string, string>; command?: string[] }>;
};

describe('docker-compose.yml', () => {
  it('runs the official apache/kafka image of the version the scripts use', () => {
    expect(compose.services.kafka?.image).toBe(`apache/kafka:${KAFKA_VERSION}`);
    const script = readFileSync(join(root, 'infra', 'kafka.sh'), 'utf8');
    expect(script).toContain(`KAFKA_VERSION="\${KAFKA_VERSION:-${KAFKA_VERSION}}"`);
  });

  it('configures the broker like testcontainers does (KRaft, single node)', () => {
    const env = compose.services.kafka?.environment ?? {};
    const expected = kafkaContainerEnv(9092);
    for (const [key, value] of Object.entries(expected)) {
      if (key === 'KAFKA_ADVERTISED_LISTENERS') continue; // the host name differs inside compose
      expect(env[key], key).toBe(value);
    }
  });

  it('keeps Redis on AOF persistence', () => {
    expect(compose.services.redis?.command).toContain('--appendonly');
  });

  it.each([
    ['ingest', IngestConfig],
    ['accumulator', AccumulatorConfig],
    ['alerter', AlerterConfig],
    ['console', ConsoleConfig],
  ] as const)('sets only variables the %s config knows, and starts its main.ts', (name, schema) => {
    const service = compose.services[name];
    expect(service?.command).toContain(`services/${name}/src/main.ts`);
    // A schema with a .transform() is a pipe: its variables are those of the object it starts from.
    const shape: object = 'shape' in schema ? schema.shape : schema.in.shape;
    const known = new Set(Object.keys(shape));
    for (const key of Object.keys(service?.environment ?? {})) expect(known, `${name}: ${key}`).toContain(key);
  });

  const schemas = [
    ['ingest', IngestConfig],
    ['accumulator', AccumulatorConfig],
    ['alerter', AlerterConfig],
  ] as const;

  it.each(schemas)(
    'gives %s its tokens whenever its config takes any, and refuses to start without them',
    (name, schema) => {
      const shape: object = 'shape' in schema ? schema.shape : schema.in.shape;
      const tokenSettings = Object.keys(shape).filter((k) => /_TOKENS(_FILE)?$/.test(k));
      const env = compose.services[name]?.environment ?? {};
      if (tokenSettings.length === 0) return;
      const given = tokenSettings.filter((k) => env[k] !== undefined);
      expect(given, `${name} sets none of ${tokenSettings.join(', ')}`).toHaveLength(1);
      // `${VAR:?message}`: compose stops with the message when VAR is unset, instead of a service that
      // answers 401 to every call.
      expect(env[given[0]!]).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
    },
  );

  it('points only to files that exist', () => {
    const comments = text
      .split('\n')
      .filter((line) => line.trimStart().startsWith('#'))
      .join('\n');
    const paths = [...comments.matchAll(/[\w.-]+(?:\/[\w.-]+)+\.(?:ts|sh|md|yml|json)\b/g)].map((m) => m[0]);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(existsSync(join(root, path)), path).toBe(true);
  });
});
