import { describe, expect, it } from 'vitest';
import { CodedError } from '@warnline/contracts';
import { BREACH, breachResult, INGEST_JOB, ingestResult, TRANSITION, transitionResult } from '../../src/scripts.ts';

describe('alerter Lua statuses', () => {
  it('map each named status of a script to its result', () => {
    expect(ingestResult([INGEST_JOB.duplicate, 'a'])).toEqual({ kind: 'duplicate', alertId: 'a' });
    expect(ingestResult([INGEST_JOB.stale])).toEqual({ kind: 'stale' });
    expect(ingestResult([INGEST_JOB.reRaised, 'a', 'e'])).toEqual({ kind: 're-raised', alertId: 'a', event: 'e' });
    expect(transitionResult([TRANSITION.wrongState, 'closed'])).toEqual({ kind: 'wrong-state', state: 'closed' });
    expect(transitionResult([TRANSITION.done, 'e', 5])).toEqual({ kind: 'done', event: 'e', openedAtMs: 5 });
    expect(breachResult([BREACH.notFound])).toEqual({ kind: 'not-found' });
    expect(breachResult([BREACH.overdue, 'e'])).toEqual({ kind: 'overdue', event: 'e' });
  });

  it('turn a status the caller does not know into a coded error that is not retried', () => {
    for (const call of [() => ingestResult([9]), () => transitionResult([9]), () => breachResult([9])]) {
      let thrown: unknown;
      try {
        call();
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(CodedError);
      expect(thrown).toMatchObject({ code: 'SCRIPT_STATUS_UNKNOWN', retriable: false });
      expect((thrown as Error).message).toMatch(/unknown status 9$/);
    }
  });
});
