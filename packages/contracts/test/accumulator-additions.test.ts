// Additions for the accumulator: dead-letter codes for reversals without effect, and the queue of
// alerts that have no street.
import { describe, expect, it } from 'vitest';
import { DeadLetterSchema, REJECTION_CODES, UNROUTED_ALERT_QUEUE, streetQueueName } from '../src/index.ts';

describe('accumulator additions', () => {
  it('has stable codes for reversals that take no effect, usable in dead letters', () => {
    expect(Object.keys(REJECTION_CODES)).toEqual(
      expect.arrayContaining([
        'REVERSAL_MISMATCH',
        'REVERSAL_ALREADY_APPLIED',
        'CLAIM_CONFLICT',
        'SERVICE_DATE_TOO_OLD',
      ]),
    );
    const letter = {
      kind: 'claim',
      code: 'REVERSAL_MISMATCH',
      field: '(item)',
      message: REJECTION_CODES.REVERSAL_MISMATCH,
      rejections: [{ code: 'REVERSAL_MISMATCH', field: '(item)', message: 'm' }],
      source: 'kafka',
      institution: 'H1',
      principal: null,
      receivedAt: '2024-06-30T00:00:00Z',
      kafka: { topic: 'claims.v1', partition: 0, offset: '7' },
      inputType: 'object',
      inputBytes: null,
      input: { claimId: 'x' },
      droppedFields: [],
    };
    expect(DeadLetterSchema.safeParse(letter).success).toBe(true);
  });

  it('names the unrouted alert queue apart from every street queue', () => {
    expect(UNROUTED_ALERT_QUEUE).toBe('alerts.unrouted');
    expect(UNROUTED_ALERT_QUEUE.startsWith(streetQueueName(''))).toBe(false);
  });
});
