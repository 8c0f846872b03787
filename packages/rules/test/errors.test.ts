import { describe, expect, it } from 'vitest';
import { CodedError } from '@warnline/contracts';
import { RULES_ERROR_CODES, RulesError, UnknownRuleSetError } from '../src/index.ts';

describe('rules errors', () => {
  it('are coded errors like every other, never retriable', () => {
    const err = new UnknownRuleSetError('nowhere', ['shanghai']);
    expect(err).toBeInstanceOf(CodedError);
    expect(err).toBeInstanceOf(RulesError);
    expect(err).toMatchObject({ name: 'UnknownRuleSetError', code: 'RULE_SET_UNKNOWN', retriable: false });
    expect(new RulesError('INVALID_INPUT').message).toBe(RULES_ERROR_CODES.INVALID_INPUT.message);
  });

  it('keep their table in the shape of every coded-error table', () => {
    for (const entry of Object.values(RULES_ERROR_CODES)) {
      expect(entry).toEqual({ retriable: false, message: expect.any(String) });
    }
  });
});
