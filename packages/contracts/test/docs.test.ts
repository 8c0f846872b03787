// docs/contracts.md is the binding description of every interface: it may not fall behind the code. Every
// stable code, topic, queue and enumerated value that other systems key on must be written in it.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { topicNames } from '@warnline/runtime';
import {
  ALERT_ACTIONS,
  ALERT_API_ERRORS,
  ALERT_OUTCOMES,
  ALERT_STATES,
  BACKFILL_ERRORS,
  BREACHES,
  CATEGORIES,
  CHARITY_QUEUE,
  CITY_ESCALATION_QUEUE,
  CITY_TRIAGE_DESK,
  CITY_TRIAGE_QUEUE,
  LEVELS,
  LINK_QUEUE,
  PERSON_ID_TYPES,
  QUEUE_PREFIX,
  REJECTION_CODES,
  REQUEST_ERRORS,
  UNROUTED_ALERT_QUEUE,
  VISIT_TYPES,
  districtQueueName,
  streetQueueName,
  triageQueueName,
} from '../src/index.ts';

const doc = readFileSync(new URL('../../../docs/contracts.md', import.meta.url), 'utf8');

/** The names written as code (`NAME`) in the document. */
const quoted = new Set([...doc.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!));
const missing = (names: Iterable<string>) => [...names].filter((n) => !quoted.has(n));

describe('docs/contracts.md', () => {
  it('lists every stable error code of packages/contracts', () => {
    expect(missing(Object.keys(REJECTION_CODES))).toEqual([]);
    expect(missing(Object.keys(REQUEST_ERRORS))).toEqual([]);
    expect(missing(Object.keys(ALERT_API_ERRORS))).toEqual([]);
    expect(missing(Object.keys(BACKFILL_ERRORS))).toEqual([]);
  });

  it('gives each HTTP error code the status the code answers with', () => {
    for (const [code, { status }] of [...Object.entries(REQUEST_ERRORS), ...Object.entries(ALERT_API_ERRORS)]) {
      expect(doc, `${code} with ${status}`).toMatch(new RegExp(`\\|\\s*${status}\\s*\\|\\s*\`${code}\``));
    }
  });

  it('names every topic', () => {
    expect(missing(Object.values(topicNames()))).toEqual([]);
  });

  it('names every queue and the BullMQ prefix', () => {
    expect(
      missing([
        QUEUE_PREFIX,
        streetQueueName('<streetCode>'),
        districtQueueName('<districtCode>'),
        UNROUTED_ALERT_QUEUE,
        triageQueueName('<districtCode>'),
        CITY_TRIAGE_QUEUE,
        CITY_ESCALATION_QUEUE,
        LINK_QUEUE,
        CITY_TRIAGE_DESK,
        CHARITY_QUEUE,
      ]),
    ).toEqual([]);
  });

  it('lists every enumerated value other systems key on', () => {
    for (const values of [
      LEVELS,
      VISIT_TYPES,
      PERSON_ID_TYPES,
      CATEGORIES,
      ALERT_STATES,
      ALERT_OUTCOMES,
      ALERT_ACTIONS,
      BREACHES,
    ]) {
      expect(missing(values)).toEqual([]);
    }
  });
});
