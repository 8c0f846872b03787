import { describe, expect, it } from 'vitest';
import { CodedError } from '@warnline/contracts';
import { createPublisher, PublishError } from '../../src/publisher.ts';

describe('publisher errors', () => {
  it('turn a refused write into a retriable coded error that keeps its cause', async () => {
    const cause = new Error('broker gone');
    cause.name = 'KafkaJSConnectionError';
    const publisher = createPublisher(
      {
        sendBatch: async () => {
          throw cause;
        },
      } as never,
      { claims: 'c', households: 'h', claimsDlq: 'cd', householdsDlq: 'hd' },
    );
    const out = { claims: [], households: [], claimDeadLetters: [], householdDeadLetters: [] };
    const err = await publisher.write({ ...out, claims: [{ personId: 'p' }] } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishError);
    expect(err).toBeInstanceOf(CodedError);
    expect(err).toMatchObject({ name: 'PublishError', code: 'PUBLISH_FAILED', retriable: true, cause });
  });
});
