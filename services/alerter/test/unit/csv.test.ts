import { describe, expect, it } from 'vitest';
import { alertsCsv, csvField, CSV_COLUMNS } from '../../src/csv.ts';
import type { AlertView } from '../../src/alert-store.ts';

const alert = {
  alertId: '310113000-000001',
  districtCode: '310113',
  streetCode: '310113000',
  householdId: 'p_0123456789abcdef0123456789abcdef',
  state: 'triage',
  level: 'action',
  outcome: null,
  note: null,
  openedAt: '2026-03-02T02:00:00.000Z',
  acknowledgedAt: null,
  investigatingAt: null,
  closedAt: null,
  acknowledgeDueAt: '',
  closeDueAt: '',
  overdue: { acknowledge: null, close: null, assign: '2026-03-05T02:00:00.000Z' },
  triage: true,
  assignDueAt: '2026-03-05T02:00:00.000Z',
  assignedAt: null,
  assignedAlertId: null,
  linkedAlertIds: [],
  jobs: 1,
  next: ['closed', 'assigned'],
  decision: {
    findings: [
      { code: 'HIGH_BURDEN', citation: 'c', message: 'm' },
      { code: 'PRECONDITION_UNVERIFIED', citation: 'c', message: 'm' },
    ],
    burden12m: '50000.00',
    income: null,
    burdenRatio: null,
    window: { from: '2025-04', to: '2026-03' },
    assistance: { total: '0.00', capRemaining: null },
    ruleSet: 'shanghai@2023-07-01',
    raisedAt: '2026-03-02T02:00:00.000Z',
    warnings: [],
  },
} satisfies AlertView;

describe('CSV export', () => {
  it('opens with a byte-order mark, ends lines with CRLF, one header row and one row per alert', () => {
    const text = alertsCsv([alert]);
    expect(text.startsWith('\uFEFF告警编号 alertId,')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[0]!.split(',')).toHaveLength(CSV_COLUMNS.length);
    expect(lines[1]).toContain(',triage,action,,');
    expect(lines[1]).toContain(',assign,');
    expect(lines[1]!.endsWith(',HIGH_BURDEN;PRECONDITION_UNVERIFIED')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toContain('\n');
  });

  it('quotes a field with a comma, a quote or a line break', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField('plain')).toBe('plain');
  });
});
