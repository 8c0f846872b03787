import { describe, expect, it } from 'vitest';
import { createKeys, formatAlertId, streetOfAlert } from '../../src/keys.ts';

const tag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];

describe('keys', () => {
  it('gives every key of a street and its alerts one hash tag (one Redis Cluster slot per script)', () => {
    const keys = createKeys('wl');
    const s = keys.street('310113103');
    const a = keys.alert(formatAlertId('310113103', 42));
    const all = [
      s.jobs,
      s.open,
      s.seq,
      s.outbox,
      s.overdue,
      ...Object.values(s.state),
      ...Object.values(s.openLevel),
      a.alert,
      a.history,
    ];
    expect(new Set(all.map(tag))).toEqual(new Set(['st:310113103']));
    expect(new Set(all).size).toBe(all.length);
  });

  it('names the street in the alert id', () => {
    expect(formatAlertId('310113103', 42)).toBe('310113103-000042');
    expect(streetOfAlert('310113103-000042')).toBe('310113103');
    expect(streetOfAlert('310113103-1234567')).toBe('310113103');
    for (const bad of ['310113103', '31011310-000001', '310113103-12', '../310113103-000001'])
      expect(streetOfAlert(bad)).toBeNull();
  });
});
