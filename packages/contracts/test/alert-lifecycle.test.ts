import { describe, expect, it } from 'vitest';
import {
  ALERT_API_ERRORS,
  ALERT_OUTCOMES,
  ALERT_STATES,
  TRIAGE_OUTCOMES,
  AlertAuditEventSchema,
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
