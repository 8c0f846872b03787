import { describe, expect, it } from 'vitest';
import { DeadLetterSchema } from '@warnline/contracts';
import { deadLetter, type Origin } from '../../src/dead-letter.ts';
import { decodeValue } from '../../src/kafka-input.ts';
import { claim, household, residentId } from '@warnline/test';
import { pseudonymise } from '../support/harness.ts';

const origin: Origin = { source: 'http', principal: 'ruijin', receivedAt: '2024-06-15T02:00:00.000Z' };
const reason = [{ code: 'AMOUNT_IDENTITY' as const, field: 'amounts', message: 'm' }];

describe('dead letters', () => {
  it('keep the contract fields, with a valid identity number pseudonymised', () => {
    const raw = claim({ personId: residentId(5) });
    const d = deadLetter('claim', { json: raw }, reason, origin, pseudonymise);
    expect(DeadLetterSchema.parse(d)).toEqual(d);
    expect(d).toMatchObject({
      code: 'AMOUNT_IDENTITY',
      source: 'http',
      principal: 'ruijin',
      institution: 'H31011000012',
      inputType: 'object',
      kafka: null,
    });
    expect(d.input).toMatchObject({
      claimId: raw.claimId,
      personId: pseudonymise(residentId(5)),
      amounts: raw.amounts,
    });
    expect(JSON.stringify(d)).not.toContain(residentId(5));
  });

  it('mask an invalid identity number, and any identity-like digits anywhere, and drop unknown fields', () => {
    const typo = `${residentId(5).slice(0, 17)}${residentId(5).endsWith('0') ? '1' : '0'}`;
    const raw = { ...claim(), personId: typo, claimId: `C-${residentId(6)}`, patientName: '张三', [residentId(7)]: 1 };
    const d = deadLetter('claim', { json: raw }, reason, origin, pseudonymise);
    const text = JSON.stringify(d);
    for (const id of [typo, residentId(6), residentId(7)]) expect(text).not.toContain(id);
    expect(text).not.toContain('张三');
    expect(d.input?.personId).toBe('<18 chars masked>');
    expect(d.droppedFields).toEqual(['patientName', '<18 chars masked>']);
  });

  it('pseudonymise household members, masking the invalid ones', () => {
    const raw = {
      ...household({ members: [residentId(1)] }),
      members: [{ personId: residentId(1) }, { personId: '12345' }, { personId: 'E1234567', personIdType: 'passport' }],
    };
    const d = deadLetter(
      'household',
      { json: raw },
      [{ code: 'INVALID_PERSON_ID', field: 'members.1.personId', message: 'm' }],
      { ...origin, source: 'kafka', principal: null, kafka: { topic: 't', partition: 0, offset: '7' } },
      pseudonymise,
    );
    expect(d.input?.members).toEqual([
      { personId: pseudonymise(residentId(1)) },
      { personId: '<5 chars masked>' },
      { personIdType: 'passport', personId: pseudonymise('E1234567', 'passport') },
    ]);
    expect(d.institution).toBeNull();
    expect(d.kafka).toEqual({ topic: 't', partition: 0, offset: '7' });
  });

  it('keep only the size of a Kafka value that is not JSON', () => {
    const refused = decodeValue(Buffer.from(`not json ${residentId(9)}`));
    expect(refused).toEqual({ undecodableBytes: 27 });
    const d = deadLetter(
      'claim',
      refused,
      [{ code: 'UNPARSEABLE_MESSAGE', field: '(item)', message: 'm' }],
      origin,
      pseudonymise,
    );
    expect(d).toMatchObject({ inputType: 'bytes', inputBytes: 27, input: null });
    expect(decodeValue(Buffer.from([0xff, 0xfe, 0x7b]))).toEqual({ undecodableBytes: 3 });
    expect(decodeValue(null)).toEqual({ json: null });
  });
});
