// Which errors park a record and which stall the batch: only what a restart cannot cure is parked; Redis or
// Kafka unavailable (or busy) is waited out, and so is contention between instances.
import { describe, expect, it } from 'vitest';
import { ReplyError } from 'ioredis';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { EvaluationContendedError } from '../../src/evaluator.ts';
import { errorText, isTransient, parkCode, parkedMessage } from '../../src/parking.ts';

const replyError = (message: string) => new ReplyError(message) as Error;

describe('parking', () => {
  it('waits out outages and contention, parks defects and refused commands', () => {
    expect(isTransient(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED'))).toBe(true);
    expect(
      isTransient(new KafkaJSNumberOfRetriesExceeded(new Error('broker down'), { retryCount: 8, retryTime: 1000 })),
    ).toBe(true);
    expect(isTransient(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }))).toBe(
      true,
    );
    expect(isTransient(new Error('Connection is closed.'))).toBe(true);
    expect(isTransient(replyError('LOADING Redis is loading the dataset in memory'))).toBe(true);
    expect(isTransient(replyError('READONLY You can not write against a read only replica.'))).toBe(true);
    expect(isTransient(new EvaluationContendedError(3))).toBe(true);

    expect(isTransient(replyError('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isTransient(new TypeError('reply is not a function or its return value is not iterable'))).toBe(false);
    expect(isTransient('not an error')).toBe(false);
    expect(parkCode(replyError('WRONGTYPE Operation'))).toBe('REDIS_COMMAND_REFUSED');
    expect(parkCode(new TypeError('x'))).toBe('PROCESSING_FAILED');
  });

  it('keeps the original message and adds where it came from, masking identity numbers in the error', () => {
    const parked = parkedMessage(
      {
        key: Buffer.from('p_1'),
        value: Buffer.from('{"a":1}'),
        offset: '41',
        timestamp: '0',
        attributes: 0,
        headers: { source: 'his', 'parked.code': 'stale' },
      },
      { topic: 'claims.v1', partition: 2 },
      new Error('bad person 11010519491231002X'),
      3,
      new Date('2024-07-01T00:00:00Z'),
    );
    expect(parked).toEqual({
      key: Buffer.from('p_1'),
      value: Buffer.from('{"a":1}'),
      headers: {
        source: 'his',
        'parked.code': 'PROCESSING_FAILED',
        'parked.error': 'Error: bad person <18 chars masked>',
        'parked.topic': 'claims.v1',
        'parked.partition': '2',
        'parked.offset': '41',
        'parked.attempts': '3',
        'parked.at': '2024-07-01T00:00:00.000Z',
      },
    });
    expect(errorText(new Error('x'.repeat(5000))).length).toBe(1000);
  });
});
