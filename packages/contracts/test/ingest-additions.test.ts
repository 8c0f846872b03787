// Additions made for services/ingest: retention, masking inside text, request error codes,
// dead letters, and claims whose amounts are not money.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETENTION_MONTHS,
  DeadLetterSchema,
  RawClaimSchema,
  REQUEST_ERRORS,
  maskIdentityNumbersIn,
  oldestRetainedMonth,
  toRejections,
} from '../src/index.ts';

describe('retention', () => {
  it('counts the current month: 14 months in June 2024 start with May 2023', () => {
    expect(DEFAULT_RETENTION_MONTHS).toBe(14);
    expect(oldestRetainedMonth('2024-06-15', 14)).toBe('2023-05');
    expect(oldestRetainedMonth('2024-01-01', 1)).toBe('2024-01');
    expect(oldestRetainedMonth('2024-01-31', 12)).toBe('2023-02');
    expect(() => oldestRetainedMonth('2024-01-31', 0)).toThrow(RangeError);
  });
});

describe('maskIdentityNumbersIn', () => {
  it('masks 15- and 18-character identity numbers inside text and leaves short numbers alone', () => {
    expect(maskIdentityNumbersIn('id 11010519491231002x, old 110105491231002')).toBe(
      'id <18 chars masked>, old <15 chars masked>',
    );
    expect(maskIdentityNumbersIn('H31011000012-20240315-000123')).toBe('H31011000012-20240315-000123');
  });
});

describe('claims with amounts that are not money', () => {
  it('are rejected with INVALID_MONEY, not thrown on (the amount identity is skipped)', () => {
    const claim = {
      claimId: 'C1',
      type: 'settlement',
      personId: '11010519491231002X',
      institution: { code: 'H1', level: 3 },
      visitType: 'inpatient',
      serviceDate: '2024-03-15',
      settledAt: '2024-03-16T10:20:30+08:00',
      amounts: {
        total: '110000197001010000',
        policyScope: '0',
        basicFund: '0',
        criticalIllness: '0',
        supplementary: '0',
        assistance: '0',
        personalAccount: '0',
        cash: '0',
      },
    };
    const r = RawClaimSchema.safeParse(claim);
    expect(r.success).toBe(false);
    expect(toRejections(r.error!.issues, claim).map((x) => x.code)).toEqual(['INVALID_MONEY']);
  });
});

describe('request errors and dead letters', () => {
  it('map each request error to one status', () => {
    expect(REQUEST_ERRORS.UNAUTHENTICATED.status).toBe(401);
    expect(REQUEST_ERRORS.KAFKA_UNAVAILABLE).toMatchObject({ status: 503, retriable: true });
  });
  it('validate a dead letter and refuse an unknown code', () => {
    const letter = {
      kind: 'claim',
      code: 'AMOUNT_IDENTITY',
      field: 'amounts',
      message: 'm',
      rejections: [{ code: 'AMOUNT_IDENTITY', field: 'amounts', message: 'm' }],
      source: 'kafka',
      institution: null,
      principal: null,
      receivedAt: '2024-06-15T02:00:00.000Z',
      kafka: { topic: 't', partition: 0, offset: '1' },
      inputType: 'object',
      inputBytes: null,
      input: { claimId: 'C1' },
      droppedFields: [],
    };
    expect(DeadLetterSchema.safeParse(letter).success).toBe(true);
    expect(DeadLetterSchema.safeParse({ ...letter, code: 'NOPE' }).success).toBe(false);
  });
});
