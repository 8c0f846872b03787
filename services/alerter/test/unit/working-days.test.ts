import { describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../src/working-days.ts';

describe('working days (Asia/Shanghai, Monday to Friday)', () => {
  it('counts weekdays only, at the same time of day', () => {
    // Monday 2026-03-02 10:00 in Shanghai → Thursday.
    expect(addWorkingDays(new Date('2026-03-02T10:00:00+08:00'), 3).toISOString()).toBe('2026-03-05T02:00:00.000Z');
    // Thursday → the next Tuesday (Saturday and Sunday skipped).
    expect(addWorkingDays(new Date('2026-03-05T10:00:00+08:00'), 3).toISOString()).toBe('2026-03-10T02:00:00.000Z');
    // Saturday → Wednesday.
    expect(addWorkingDays(new Date('2026-03-07T10:00:00+08:00'), 3).toISOString()).toBe('2026-03-11T02:00:00.000Z');
  });

  it('takes the weekday in Shanghai, not in UTC', () => {
    // Friday 23:30 UTC is Saturday 07:30 in Shanghai: the next working day is Monday.
    expect(addWorkingDays(new Date('2026-03-06T23:30:00Z'), 1).toISOString()).toBe('2026-03-08T23:30:00.000Z');
  });
});
