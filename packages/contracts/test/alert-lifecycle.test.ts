import { describe, expect, it } from 'vitest';
import {
  ALERT_API_ERRORS,
  ALERT_OUTCOMES,
  ALERT_STATES,
  TRIAGE_OUTCOMES,
  AlertAuditEventSchema,
  AlertViewSchema,
  CHARITY_REFERRAL_CITATION,
  EscalationJobDataSchema,
} from '../src/index.ts';

const event = {
  eventId: '310113103-000001#2',
  alertId: '310113103-000001',
  seq: 2,
  at: '2024-07-01T09:00:00.000Z',
  actor: { name: 'st-310113103', role: 'street' },
  action: 'acknowledged',
  from: 'new',
  to: 'acknowledged',
  level: 'action',
  previousLevel: null,
  outcome: null,
  note: '电话联系',
  breach: null,
  jobId: null,
  householdId: 'HH310113000001',
  streetCode: '310113103',
  districtCode: '310113',
};

describe('alert lifecycle contract', () => {
  it('has the states and outcomes', () => {
    expect(ALERT_STATES).toEqual(['new', 'acknowledged', 'investigating', 'closed', 'triage', 'assigned']);
    expect(ALERT_OUTCOMES).toEqual([
      'assistance-granted',
      'charity-referred',
      'temporary-assistance',
      'not-eligible',
      'unreachable',
      'duplicate',
      'not-resident',
      'linked',
    ]);
    expect(TRIAGE_OUTCOMES).toEqual(['not-resident', 'duplicate', 'not-eligible']);
    expect(CHARITY_REFERRAL_CITATION).toBe('沪府办规〔2022〕19号 二(四)1');
  });

  it('parses an audit event and refuses unknown actions and states', () => {
    expect(AlertAuditEventSchema.parse(event)).toEqual(event);
    expect(AlertAuditEventSchema.safeParse({ ...event, action: 'deleted' }).success).toBe(false);
    expect(AlertAuditEventSchema.safeParse({ ...event, to: 'reopened' }).success).toBe(false);
    expect(AlertAuditEventSchema.safeParse({ ...event, seq: 0 }).success).toBe(false);
    // Events written before links and targets existed parse without them.
    const linked = { ...event, action: 'linked', relatedAlertId: '310113000-000001', target: null };
    expect(AlertAuditEventSchema.parse(linked)).toEqual(linked);
  });

  it('maps API error codes to statuses', () => {
    expect(ALERT_API_ERRORS.INVALID_TRANSITION.status).toBe(409);
    expect(ALERT_API_ERRORS.UNAUTHENTICATED.status).toBe(401);
    expect(ALERT_API_ERRORS.FORBIDDEN.status).toBe(403);
    expect(EscalationJobDataSchema.safeParse({ alertId: 'x', breach: 'late' }).success).toBe(false);
  });
});

describe("AlertViewSchema: the caseworker API's <alert>", () => {
  const view = {
    alertId: '310113000-000007',
    householdId: 'p_0123456789abcdef0123456789abcdef',
    streetCode: '310113000',
    districtCode: '310113',
    state: 'assigned',
    level: 'action',
    outcome: null,
    note: '户籍在本区',
    openedAt: '2024-07-01T09:00:00.000Z',
    acknowledgedAt: null,
    investigatingAt: null,
    closedAt: null,
    acknowledgeDueAt: '2024-07-03T09:00:00.000Z',
    closeDueAt: '2024-07-16T09:00:00.000Z',
    overdue: { acknowledge: null, close: null, assign: null },
    triage: true,
    assignDueAt: '2024-07-04T09:00:00.000Z',
    assignedAt: '2024-07-02T09:00:00.000Z',
    assignedAlertId: '310113103-000042',
    linkedAlertIds: ['310113103-000042'],
    jobs: 1,
    next: [],
    decision: {
      findings: [],
      burden12m: '26000.00',
      income: null,
      burdenRatio: null,
      window: { from: '2023-08', to: '2024-07' },
      assistance: { total: '0.00', capRemaining: null },
      ruleSet: 'shanghai@2023-07-01',
      raisedAt: '2024-07-01T09:00:00.000Z',
      warnings: [],
    },
  };

  it('reads a triage alert that went to a street', () => {
    expect(AlertViewSchema.parse(view).assignedAlertId).toBe('310113103-000042');
  });

  it('refuses an answer without the triage fields or with an unknown state', () => {
    const { triage: _triage, ...old } = view;
    expect(AlertViewSchema.safeParse(old).success).toBe(false);
    expect(AlertViewSchema.safeParse({ ...view, state: 'lost' }).success).toBe(false);
  });
});
