import { describe, expect, it } from 'vitest';
import { CodedError } from '@warnline/contracts';
import { EvaluationContendedError } from '../../src/evaluator.ts';
import { isTransient, parkCode } from '../../src/parking.ts';
import { reply } from '../../src/scripts.ts';

describe('accumulator errors', () => {
  it('raise contention as a retriable coded error, which stalls the batch instead of parking it', () => {
    const err = new EvaluationContendedError(2);
    expect(err).toBeInstanceOf(CodedError);
    expect(err).toMatchObject({ name: 'EvaluationContendedError', code: 'EVALUATION_CONTENDED', retriable: true });
    expect(isTransient(err)).toBe(true);
  });

  it('raise a missing pipeline reply as a coded error that is parked, not retried', () => {
    let thrown: unknown;
    try {
      reply(undefined);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CodedError);
    expect(thrown).toMatchObject({ code: 'PIPELINE_REPLY_MISSING', retriable: false });
    expect(isTransient(thrown)).toBe(false);
    expect(parkCode(thrown)).toBe('PROCESSING_FAILED');
  });
});
