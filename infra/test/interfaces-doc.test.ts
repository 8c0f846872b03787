// docs/contracts.md describes what operators and other systems see of the services beyond the shared
// contracts: the accumulator's parked topic and its codes, every service's own metrics (one table), the street
// directory and the claim statuses. A name added in the code without its documentation fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAIM_STATUSES, streetDirectoryKey } from '@warnline/contracts';
import { PARK_ERRORS } from '@warnline/contracts';
import { PARKED_HEADER_PREFIX, parkedTopicName } from '../../services/accumulator/src/parking.ts';
import { createMetrics as accumulatorMetrics } from '../../services/accumulator/src/metrics.ts';
import { createMetrics as ingestMetrics } from '../../services/ingest/src/metrics.ts';
import { createMetrics as alerterMetrics } from '../../services/alerter/src/metrics.ts';
import type { AlertStore } from '../../services/alerter/src/alert-store.ts';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'contracts.md'), 'utf8');
const quoted = new Set([...doc.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!));
const missing = (names: Iterable<string>) => [...names].filter((n) => !quoted.has(n));

/** A registry's own metric names: prom-client's default process and Node.js metrics left out. */
function ownMetricNames(registry: { getMetricsAsArray(): { name: string }[] }): string[] {
  return registry
    .getMetricsAsArray()
    .map((m) => m.name)
    .filter((name) => !/(^|_)(process|nodejs)_/.test(name));
}

describe('docs/contracts.md beyond the shared contracts', () => {
  it('names the parked topic, its codes and its headers', () => {
    expect(missing([parkedTopicName(''), ...Object.keys(PARK_ERRORS)])).toEqual([]);
    const headers = [...quoted].filter((n) => n.startsWith(PARKED_HEADER_PREFIX));
    expect(headers).toEqual(expect.arrayContaining(['parked.code', 'parked.error', 'parked.topic', 'parked.at']));
  });

  it('lists every metric of every service in the one metrics table, with its service', () => {
    // The alerter's gauges read the store only when scraped; listing the metrics does not scrape.
    const alerter = alerterMetrics({} as AlertStore, async () => []);
    const exported = [
      ...ownMetricNames(ingestMetrics().registry).map((name) => ({ name, service: 'ingest' })),
      ...ownMetricNames(accumulatorMetrics().registry).map((name) => ({ name, service: 'accumulator' })),
      ...ownMetricNames(alerter.registry).map((name) => ({ name, service: 'alerter' })),
    ];
    expect(exported.length).toBeGreaterThan(20);
    const section = doc.slice(doc.indexOf('## Metrics (every service)'));
    const rows = new Map(
      [...section.slice(0, section.indexOf('\n## ', 5)).matchAll(/^\| `([a-z_]+)` \| ([a-z]+) \|/gm)].map((m) => [
        m[1]!,
        m[2]!,
      ]),
    );
    expect(exported.filter(({ name, service }) => rows.get(name) !== service)).toEqual([]);
    // And no row for a metric that no longer exists.
    expect([...rows.keys()].filter((name) => !exported.some((e) => e.name === name))).toEqual([]);
  });

  it('names the street directory and every claim status', () => {
    expect(missing([streetDirectoryKey('<QUEUE_PREFIX>'), ...Object.keys(CLAIM_STATUSES)])).toEqual([]);
  });
});
