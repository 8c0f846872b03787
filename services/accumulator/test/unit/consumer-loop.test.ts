// The accumulator's batch handler: households and claims go to their own processor step through the batch
// guard, every batch is measured by kind and outcome, and an error a restart can cure leaves the batch
// unfinished (thrown, no measurement) so that its offsets stay where they were.
import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from 'kafkajs';
import { pino } from 'pino';
import type { PartitionBatch } from '@warnline/runtime';
import { createBatchHandler, type ConsumerLoopDeps } from '../../src/consumer-loop.ts';

const topics = { households: 't.households', claims: 't.claims' };

function batch(topic: string, offsets: string[]): PartitionBatch {
  return {
    topic,
    partition: 1,
    messages: offsets.map((offset) => ({ offset, value: Buffer.from('{}') })) as unknown as KafkaMessage[],
    lastOffset: offsets[offsets.length - 1] ?? '0',
    heartbeat: async () => undefined,
    owned: () => true,
    done: () => undefined,
  };
}

function deps(guard: ConsumerLoopDeps['guard']) {
  const calls: string[] = [];
  const observed: [string, string][] = [];
  const d: ConsumerLoopDeps = {
    topics,
    guard,
    logger: pino({ level: 'silent' }),
    metrics: { observeBatch: (kind, outcome) => void observed.push([kind, outcome]) },
    processor: {
      households: async (messages: readonly KafkaMessage[]) => {
        calls.push(`households ${messages.map((m) => m.offset).join(',')}`);
        return {};
      },
      claims: async (messages: readonly KafkaMessage[]) => {
        calls.push(`claims ${messages.map((m) => m.offset).join(',')}`);
        return {};
      },
    } as unknown as ConsumerLoopDeps['processor'],
  };
  return { d, calls, observed };
}

describe('accumulator batch handler', () => {
  it('sends each topic to its processor step through the guard and measures the batch', async () => {
    const { d, calls, observed } = deps({
      run: async (_kind, messages, _origin, work) => (await work(messages), false),
    });
    const handle = createBatchHandler(d);
    expect(await handle(batch(topics.households, ['1', '2']))).toBe('complete');
    expect(await handle(batch(topics.claims, ['7']))).toBe('complete');
    expect(calls).toEqual(['households 1,2', 'claims 7']);
    expect(observed).toEqual([
      ['household', 'ok'],
      ['claim', 'ok'],
    ]);
  });

  it('completes a batch whose records had to be isolated, and says so in the measurement', async () => {
    const { d, calls, observed } = deps({
      run: async (_kind, messages, _origin, work) => {
        for (const m of messages) await work([m]);
        return true;
      },
    });
    expect(await createBatchHandler(d)(batch(topics.claims, ['3', '4']))).toBe('complete');
    expect(calls).toEqual(['claims 3', 'claims 4']);
    expect(observed).toEqual([['claim', 'isolated']]);
  });

  it('throws what a restart can cure, without measuring a finished batch', async () => {
    const { d, observed } = deps({
      run: async () => {
        throw new Error('Connection is closed.');
      },
    });
    await expect(createBatchHandler(d)(batch(topics.claims, ['5']))).rejects.toThrow('Connection is closed.');
    expect(observed).toEqual([]);
  });
});
