// The claim status route's own logic: who the headers name, and that the identity number in them never
// reaches a log line.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACT_PATHS } from '@warnline/runtime';
import { personFromHeaders } from '../../src/claim-status.ts';
import { createPseudonymiser } from '../../src/pseudonym.ts';
import { residentId } from '../../../../test/support/fixtures.ts';

const pseudonymise = createPseudonymiser('unit-test-pseudonym-key-0123456789abcdef');

describe('claim status: the person of a request', () => {
  it('pseudonymises the X-Person-Id header as ingest pseudonymises claims', () => {
    const id = residentId(27);
    expect(personFromHeaders({ 'x-person-id': id }, pseudonymise)).toBe(pseudonymise(id, 'resident'));
    expect(personFromHeaders({ 'x-person-id': id.toLowerCase() }, pseudonymise)).toBe(pseudonymise(id, 'resident'));
    expect(personFromHeaders({ 'x-person-id': 'E12345678', 'x-person-id-type': 'passport' }, pseudonymise)).toBe(
      pseudonymise('E12345678', 'passport'),
    );
  });

  it('names nobody when the header is missing, malformed or of an unknown type', () => {
    expect(personFromHeaders({}, pseudonymise)).toBeNull();
    expect(personFromHeaders({ 'x-person-id': 'E12345678' }, pseudonymise)).toBeNull();
    expect(
      personFromHeaders({ 'x-person-id': residentId(27), 'x-person-id-type': 'resident' }, pseudonymise),
    ).toBeNull();
    expect(personFromHeaders({ 'x-person-id': 'a b', 'x-person-id-type': 'other' }, pseudonymise)).toBeNull();
  });

  it('redacts X-Person-Id from log lines', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    const id = residentId(28);
    log.info({ req: { headers: { 'x-person-id': id } } }, 'a');
    log.info({ headers: { 'x-person-id': id } }, 'b');
    log.info({ request: { headers: { 'x-person-id': id } } }, 'c');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain(id);
  });
});
