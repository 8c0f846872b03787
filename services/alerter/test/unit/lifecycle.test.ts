import { describe, expect, it } from 'vitest';
import { ALERT_STATES } from '@warnline/contracts';
import { checkRequest, nextStates, STREET_TRANSITIONS, TRIAGE_TRANSITIONS } from '../../src/lifecycle.ts';

const STREET = '310113103';
const DESK = '310113000';
const CITY_DESK = '000000000';

describe('alert lifecycle', () => {
  it('is the chain new → acknowledged → investigating → closed in a street, triage → assigned | closed in a desk', () => {
    expect(ALERT_STATES.map((s) => [s, nextStates(s)])).toEqual([
      ['new', ['acknowledged']],
      ['acknowledged', ['investigating']],
      ['investigating', ['closed']],
      ['closed', []],
      ['triage', ['closed', 'assigned']],
      ['assigned', []],
    ]);
    expect(Object.values(STREET_TRANSITIONS).map((t) => t.action)).toEqual(['acknowledged', 'investigating', 'closed']);
    expect(Object.values(TRIAGE_TRANSITIONS).map((t) => t.action)).toEqual(['assigned', 'closed']);
  });

  it('needs an outcome and a note to close, and no outcome otherwise', () => {
    expect(checkRequest({ to: 'closed', outcome: 'duplicate', note: '同一户已在处理' }, STREET)).toBeNull();
    expect(checkRequest({ to: 'closed', outcome: 'duplicate' }, STREET)).toBe('OUTCOME_REQUIRED');
    expect(checkRequest({ to: 'closed', outcome: 'duplicate', note: '   ' }, STREET)).toBe('OUTCOME_REQUIRED');
    expect(checkRequest({ to: 'closed', note: 'x' }, STREET)).toBe('OUTCOME_REQUIRED');
    expect(checkRequest({ to: 'acknowledged' }, STREET)).toBeNull();
    expect(checkRequest({ to: 'investigating', outcome: 'unreachable' }, STREET)).toBe('OUTCOME_NOT_ALLOWED');
  });

  it('keeps triage outcomes in triage and street outcomes in streets; linked is the system’s', () => {
    expect(checkRequest({ to: 'closed', outcome: 'not-resident', district: '310115', note: 'x' }, STREET)).toBe(
      'OUTCOME_NOT_ALLOWED',
    );
    expect(checkRequest({ to: 'closed', outcome: 'assistance-granted', note: 'x' }, DESK)).toBe('OUTCOME_NOT_ALLOWED');
    expect(checkRequest({ to: 'closed', outcome: 'linked', note: 'x' }, DESK)).toBe('OUTCOME_NOT_ALLOWED');
    expect(checkRequest({ to: 'closed', outcome: 'linked', note: 'x' }, STREET)).toBe('OUTCOME_NOT_ALLOWED');
    expect(checkRequest({ to: 'closed', outcome: 'not-eligible', note: '非本市户籍' }, DESK)).toBeNull();
  });

  it('assigns to a street of the desk’s district (any street from the city desk), hands over to another district', () => {
    expect(checkRequest({ to: 'assigned', street: STREET }, DESK)).toBeNull();
    expect(checkRequest({ to: 'assigned' }, DESK)).toBe('TARGET_REQUIRED');
    expect(checkRequest({ to: 'assigned', street: '310115001' }, DESK)).toBe('TARGET_NOT_ALLOWED');
    expect(checkRequest({ to: 'assigned', street: '310115001' }, CITY_DESK)).toBeNull();
    expect(checkRequest({ to: 'assigned', street: '310115000' }, CITY_DESK)).toBe('TARGET_NOT_ALLOWED');
    expect(checkRequest({ to: 'assigned', street: STREET, outcome: 'duplicate' }, DESK)).toBe('OUTCOME_NOT_ALLOWED');
    const handOver = { to: 'closed', outcome: 'not-resident', note: '居住在浦东' } as const;
    expect(checkRequest({ ...handOver, district: '310115' }, DESK)).toBeNull();
    expect(checkRequest(handOver, DESK)).toBe('TARGET_REQUIRED');
    expect(checkRequest({ ...handOver, district: '310113' }, DESK)).toBe('TARGET_NOT_ALLOWED');
    expect(checkRequest({ ...handOver, district: '310113' }, CITY_DESK)).toBeNull();
    expect(checkRequest({ to: 'closed', outcome: 'duplicate', note: 'x', district: '310115' }, DESK)).toBe(
      'TARGET_NOT_ALLOWED',
    );
    expect(checkRequest({ to: 'acknowledged', street: STREET }, STREET)).toBe('TARGET_NOT_ALLOWED');
  });
});
