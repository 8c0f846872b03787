// The settings tables of the READMEs are what an operator reads before setting a variable: every variable a
// service's config.ts reads must be in a settings table of that service's README and of the root README, so
// a setting added to a config schema without its documentation fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema as IngestConfig } from '../../services/ingest/src/config.ts';
import {
  ConfigSchema as AccumulatorConfig,
  ReplayConfigSchema as ReplayConfig,
} from '../../services/accumulator/src/config.ts';
import { ConfigSchema as AlerterConfig } from '../../services/alerter/src/config.ts';
import { ConfigSchema as ConsoleConfig } from '../../services/console/src/config.ts';

const root = join(import.meta.dirname, '..', '..');

/** The variables a config schema reads; a schema with a .transform() is a pipe over the object it starts from. */
function variablesOf(
  schema: typeof IngestConfig | typeof AccumulatorConfig | typeof AlerterConfig | typeof ConsoleConfig,
): string[] {
  const shape: object = 'shape' in schema ? schema.shape : schema.in.shape;
  return Object.keys(shape);
}

/**
 * The names written as code in the first column of the table rows of a README's settings section (from a
 * heading that begins with "Settings" to the next heading of the same or a higher level).
 */
function settingsTableNames(readme: string, headingLevel: number): Set<string> {
  const lines = readFileSync(join(root, readme), 'utf8').split('\n');
  const hashes = '#'.repeat(headingLevel);
  const start = lines.findIndex((l) => l.startsWith(`${hashes} Settings`));
  expect(start, `${readme} has a "${hashes} Settings" section`).toBeGreaterThanOrEqual(0);
  const endsSection = new RegExp(`^#{1,${headingLevel}} `);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => endsSection.test(l));
  const section = end < 0 ? rest : rest.slice(0, end);
  const names = new Set<string>();
  for (const line of section) {
    if (!line.startsWith('|')) continue;
    const firstCell = line.split('|')[1] ?? '';
    for (const m of firstCell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(m[1]!);
  }
  return names;
}

const services = [
  ['ingest', variablesOf(IngestConfig)],
  ['accumulator', [...new Set([...variablesOf(AccumulatorConfig), ...Object.keys(ReplayConfig.shape)])]],
  ['alerter', variablesOf(AlerterConfig)],
  ['console', variablesOf(ConsoleConfig)],
] as const;

describe('settings tables of the READMEs', () => {
  it.each(services)('services/%s/README.md lists every variable its config.ts reads', (name, variables) => {
    const documented = settingsTableNames(`services/${name}/README.md`, 2);
    expect(variables.filter((v) => !documented.has(v))).toEqual([]);
  });

  it.each(services)('the root README lists every variable the %s config.ts reads', (_name, variables) => {
    const documented = settingsTableNames('README.md', 2);
    expect(variables.filter((v) => !documented.has(v))).toEqual([]);
  });

  it('reads every variable of a schema, including those behind a transform', () => {
    expect(variablesOf(AlerterConfig)).toContain('ALERTER_TOKENS');
    expect(variablesOf(IngestConfig)).toContain('REDIS_URL');
  });
});
