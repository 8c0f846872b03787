// Queue depths reach the open /metrics as street codes, never as queue names (those are the bull-board's).
import { describe, expect, it } from 'vitest';
import { queueLabels } from '../../src/metrics.ts';

describe('queue depth labels', () => {
  it('names a street queue by its street code', () => {
    expect(queueLabels('alerts.street.310113103')).toEqual({ kind: 'street', street: '310113103' });
  });

  it("names a district's triage queue by its desk code", () => {
    expect(queueLabels('alerts.triage.310115')).toEqual({ kind: 'triage', street: '310115000' });
  });

  it('names every other queue by its own name, with no street', () => {
    expect(queueLabels('alerts.city.triage')).toEqual({ kind: 'city.triage', street: '' });
    expect(queueLabels('referrals.charity')).toEqual({ kind: 'referrals.charity', street: '' });
  });
});
