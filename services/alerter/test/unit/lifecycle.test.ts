import { describe, expect, it } from 'vitest';
import { ALERT_STATES } from '@warnline/contracts';
import { checkRequest, nextStates, TRANSITIONS } from '../../src/lifecycle.ts';

describe('alert lifecycle', () => {
  it('is the chain new → acknowledged → investigating → closed', () => {
    expect(ALERT_STATES.map((s) => [s, nextStates(s)])).toEqual([
      ['new', ['acknowledged']],
      ['acknowledged', ['investigating']],
      ['investigating', ['closed']],
      ['closed', []],
    ]);
    expect(Object.values(TRANSITIONS).map((t) => t.action)).toEqual(['acknowledged', 'investigating', 'closed']);
  });

  it('needs an outcome and a note to close, and no outcome otherwise', () => {
    expect(checkRequest({ to: 'closed', outcome: 'duplicate', note: '同一户已在处理' })).toBeNull();
    expect(checkRequest({ to: 'closed', outcome: 'duplicate' })).toBe('OUTCOME_REQUIRED');
    expect(checkRequest({ to: 'closed', outcome: 'duplicate', note: '   ' })).toBe('OUTCOME_REQUIRED');
    expect(checkRequest({ to: 'closed', note: 'x' })).toBe('OUTCOME_REQUIRED');
    expect(checkRequest({ to: 'acknowledged' })).toBeNull();
    expect(checkRequest({ to: 'investigating', outcome: 'unreachable' })).toBe('OUTCOME_NOT_ALLOWED');
  });
});
