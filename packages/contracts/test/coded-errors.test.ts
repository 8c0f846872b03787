import { describe, expect, it } from 'vitest';
import {
  ALERT_API_ERRORS,
  alertApiError,
  CodedError,
  codedErrors,
  errorBody,
  isCodedError,
  PARK_ERRORS,
  REQUEST_ERRORS,
  requestError,
  SERVICE_ERRORS,
  serviceError,
} from '../src/index.ts';

describe('coded errors', () => {
  it('carry the code, status, retriability and message of their entry', () => {
    const err = requestError('KAFKA_UNAVAILABLE');
    expect(err).toBeInstanceOf(CodedError);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      name: 'CodedError',
      code: 'KAFKA_UNAVAILABLE',
      status: 503,
      retriable: true,
      message: REQUEST_ERRORS.KAFKA_UNAVAILABLE.message,
    });
    expect(isCodedError(err)).toBe(true);
    expect(isCodedError(new Error('x'))).toBe(false);
  });

  it('take a more precise message, details for the answer and a cause', () => {
    const cause = new Error('inner');
    const err = alertApiError('INVALID_TRANSITION', { message: 'the alert is new', details: { state: 'new' }, cause });
    expect(err.message).toBe('the alert is new');
    expect(err.cause).toBe(cause);
    expect(errorBody(err)).toEqual({
      code: 'INVALID_TRANSITION',
      message: 'the alert is new',
      retriable: false,
      state: 'new',
    });
  });

  it('answer every API error with a client or server status, and service errors with none', () => {
    for (const entry of [...Object.values(REQUEST_ERRORS), ...Object.values(ALERT_API_ERRORS)]) {
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      // A client error repeated unchanged fails again, except a claim that is still on its way and a rate
      // limit, which lifts after Retry-After.
      if (entry.status < 500 && entry !== REQUEST_ERRORS.CLAIM_NOT_FOUND && entry.status !== 429)
        expect(entry.retriable).toBe(false);
    }
    for (const entry of [...Object.values(SERVICE_ERRORS), ...Object.values(PARK_ERRORS)]) {
      expect(entry).not.toHaveProperty('status');
    }
    expect(serviceError('ALERT_CONTENDED')).toMatchObject({ status: undefined, retriable: true });
    expect(serviceError('SCRIPT_STATUS_UNKNOWN').retriable).toBe(false);
  });

  it('keep every public code string', () => {
    expect(Object.keys(REQUEST_ERRORS).sort()).toEqual(
      [
        'UNAUTHENTICATED',
        'FORBIDDEN_ROLE',
        'INVALID_JSON',
        'BAD_REQUEST',
        'BODY_TOO_LARGE',
        'BATCH_TOO_LARGE',
        'UNSUPPORTED_MEDIA_TYPE',
        'NOT_FOUND',
        'PERSON_ID_REQUIRED',
        'CLAIM_NOT_FOUND',
        'STATUS_UNAVAILABLE',
        'IDENTITY_STORE_UNAVAILABLE',
        'IDENTITY_NOT_FOUND',
        'KAFKA_UNAVAILABLE',
        'INTERNAL',
      ].sort(),
    );
    expect(Object.keys(ALERT_API_ERRORS).sort()).toEqual(
      [
        'UNAUTHENTICATED',
        'FORBIDDEN',
        'BAD_REQUEST',
        'NOT_FOUND',
        'INVALID_TRANSITION',
        'OUTCOME_REQUIRED',
        'OUTCOME_NOT_ALLOWED',
        'TARGET_REQUIRED',
        'TARGET_NOT_ALLOWED',
        'PURPOSE_REQUIRED',
        'REVEAL_CLOSED_TOO_LONG',
        'REVEAL_RATE_LIMITED',
        'REVEAL_NO_IDENTITY',
        'REVEAL_UNAVAILABLE',
        'INTERNAL',
      ].sort(),
    );
    expect(Object.keys(PARK_ERRORS).sort()).toEqual(['PROCESSING_FAILED', 'REDIS_COMMAND_REFUSED']);
  });

  it('make a factory for any table of the same shape', () => {
    const make = codedErrors({ SOMETHING: { retriable: true, message: 'm' } });
    expect(errorBody(make('SOMETHING'))).toEqual({ code: 'SOMETHING', message: 'm', retriable: true });
  });
});
