import { describe, expect, it } from 'vitest';
import { buildDeadLetter, deadLetterRecord, DeadLetterSchema, type Rejection } from '../src/index.ts';

const origin = {
  source: 'kafka' as const,
  principal: null,
  receivedAt: '2024-06-15T02:00:00.000Z',
  kafka: { topic: 't', partition: 2, offset: '7' },
};
const keepAll = (record: Record<string, unknown>) => ({ input: record, droppedFields: [] });

describe('dead-letter builder', () => {
  it('repeats the first reason at the top and keeps where the input came from', () => {
    const rejections: Rejection[] = [
      { code: 'AMOUNT_IDENTITY', field: 'amounts', message: 'a' },
      { code: 'INVALID_DATE', field: 'serviceDate', message: 'b' },
    ];
    const d = buildDeadLetter('claim', { json: { institution: { code: 'H1' } } }, rejections, origin, keepAll);
    expect(DeadLetterSchema.strict().parse(d)).toEqual(d);
    expect(d).toMatchObject({
      code: 'AMOUNT_IDENTITY',
      field: 'amounts',
      rejections,
      institution: 'H1',
      kafka: origin.kafka,
      inputType: 'object',
      inputBytes: null,
      input: { institution: { code: 'H1' } },
    });
  });

  it('keeps only the size of bytes that were not JSON, and never calls the copy hook for them', () => {
    let copied = 0;
    const d = buildDeadLetter('household', { undecodableBytes: 12 }, [], { ...origin, kafka: undefined }, (r) => {
      copied += 1;
      return keepAll(r);
    });
    expect(copied).toBe(0);
    expect(d).toMatchObject({
      code: 'UNPROCESSABLE_ITEM',
      inputType: 'bytes',
      inputBytes: 12,
      input: null,
      kafka: null,
    });
    expect(d.rejections).toHaveLength(1);
  });

  it('bounds the reasons it copies and masks an identity number in an institution code', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ code: 'WRONG_TYPE' as const, field: `f${i}`, message: 'm' }));
    const d = buildDeadLetter(
      'claim',
      { json: { institution: { code: '110101199003077777' } } },
      many,
      origin,
      keepAll,
    );
    expect(d.rejections).toHaveLength(20);
    expect(d.institution).not.toContain('110101199003077777');
  });

  it('writes the code, kind and source as headers and the key it is given', () => {
    const d = buildDeadLetter('claim', { json: 'x' }, [], origin, keepAll);
    expect(deadLetterRecord(d, 'p_abc')).toEqual({
      key: 'p_abc',
      value: JSON.stringify(d),
      headers: { code: 'UNPROCESSABLE_ITEM', kind: 'claim', source: 'kafka' },
    });
    expect(deadLetterRecord(d, null).key).toBeNull();
  });
});
