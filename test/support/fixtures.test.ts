// Shared fixtures: claim amounts from fen parts in contract order, and alert jobs as the accumulator publishes them.
import { describe, expect, it } from 'vitest';
import { AlertJobDataSchema } from '@warnline/contracts';
import { alertJobData, claimAmountsFromFen } from './fixtures.ts';

describe('claimAmountsFromFen', () => {
  it('writes the six parts in contract order, their sum as the total and the given policy scope', () => {
    expect(claimAmountsFromFen([100, 2, 30_000, 0, 5, 123_456], (total) => Math.floor(total / 2))).toEqual({
      total: '1535.63',
      policyScope: '767.81',
      basicFund: '1.00',
      criticalIllness: '0.02',
      supplementary: '300.00',
      assistance: '0.00',
      personalAccount: '0.05',
      cash: '1234.56',
    });
  });

  it('refuses anything but six parts', () => {
    expect(() => claimAmountsFromFen([1, 2, 3], () => 0)).toThrow(RangeError);
  });
});

describe('alertJobData', () => {
  it('places the alert in the district of its street and keeps what the overrides say', () => {
    const data = alertJobData({ streetCode: '310115001', level: 'action' });
    expect(AlertJobDataSchema.parse(data)).toEqual(data);
    expect(data.districtCode).toBe('310115');
    expect(data.level).toBe('action');
    expect(alertJobData({ streetCode: '310115001' }).householdId).not.toBe(data.householdId);
  });
});
