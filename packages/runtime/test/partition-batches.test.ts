// The partition loop moves offsets only after a handler has finished: a complete batch is resolved through
// its last offset and committed; a handler that throws leaves the offsets alone (kafkajs replays the batch);
// one interrupted by a rebalance keeps only the progress it marked; one that began before a rebalance moves no
// offset. A stale or empty batch is not handled.
import { describe, expect, it } from 'vitest';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { eachPartitionBatch, type BatchOutcome, type PartitionBatch } from '../src/partition-batches.ts';

interface Calls {
  log: string[];
}

function payload(offsets: string[], calls: Calls, state: { stale?: () => boolean; running?: boolean } = {}) {
  const messages = offsets.map((offset) => ({ offset, value: Buffer.from(offset) })) as unknown as KafkaMessage[];
  return {
    batch: {
      topic: 'in',
      partition: 3,
      messages,
      // Past the last message: the batch ended with records kafkajs filtered out (control records).
      lastOffset: () => String(Number(offsets[offsets.length - 1] ?? '0') + 1),
    },
    resolveOffset: (offset: string) => void calls.log.push(`resolve ${offset}`),
    commitOffsetsIfNecessary: async () => void calls.log.push('commit'),
    heartbeat: async () => void calls.log.push('heartbeat'),
    isRunning: () => state.running ?? true,
    isStale: () => state.stale?.() ?? false,
  } as unknown as EachBatchPayload;
}

describe('eachPartitionBatch', () => {
  it('resolves the batch through its last offset and commits only after the handler finished', async () => {
    const calls: Calls = { log: [] };
    let seen: PartitionBatch | undefined;
    await eachPartitionBatch(async (batch) => {
      seen = batch;
      calls.log.push('handled');
      return 'complete';
    })(payload(['5', '6', '7'], calls));
    expect(calls.log).toEqual(['handled', 'resolve 8', 'commit', 'heartbeat']);
    expect(seen).toMatchObject({ topic: 'in', partition: 3, lastOffset: '8' });
    expect(seen?.messages.map((m) => m.offset)).toEqual(['5', '6', '7']);
  });

  it('keeps the progress a handler marked and resolves the rest of a complete batch once', async () => {
    const calls: Calls = { log: [] };
    await eachPartitionBatch(async (batch) => {
      for (const m of batch.messages) batch.done(m.offset);
      return 'complete';
    })(payload(['5', '6'], calls));
    expect(calls.log).toEqual(['resolve 5', 'resolve 6', 'resolve 7', 'commit', 'heartbeat']);

    const exact: Calls = { log: [] };
    await eachPartitionBatch(async (batch) => {
      batch.done(batch.lastOffset);
      return 'complete';
    })(payload(['5', '6'], exact));
    expect(exact.log).toEqual(['resolve 7', 'commit', 'heartbeat']);
  });

  it('runs the pre-commit step before the offsets move, and moves none when it throws', async () => {
    const calls: Calls = { log: [] };
    const handle = async () => {
      calls.log.push('handled');
      return 'complete' as const;
    };
    await eachPartitionBatch(handle, async () => void calls.log.push('replicated'))(payload(['5'], calls));
    expect(calls.log).toEqual(['handled', 'replicated', 'resolve 6', 'commit', 'heartbeat']);

    const refused: Calls = { log: [] };
    const notReplicated = async () => {
      throw new Error('writes not acknowledged by a replica');
    };
    await expect(eachPartitionBatch(handle, notReplicated)(payload(['5'], refused))).rejects.toThrow(/replica/);
    expect(refused.log).toEqual([]);
  });

  it('moves no offset when the handler throws', async () => {
    const calls: Calls = { log: [] };
    const run = eachPartitionBatch(async () => {
      throw new Error('redis away');
    });
    await expect(run(payload(['5', '6'], calls))).rejects.toThrow('redis away');
    expect(calls.log).toEqual([]);
  });

  it('commits nothing more when the handler was interrupted by a rebalance', async () => {
    const calls: Calls = { log: [] };
    let stale = false;
    await eachPartitionBatch(async (batch): Promise<BatchOutcome> => {
      batch.done('5');
      stale = true;
      return batch.owned() ? 'complete' : 'interrupted';
    })(payload(['5', '6'], calls, { stale: () => stale }));
    expect(calls.log).toEqual(['resolve 5']);
  });

  it('moves no offset for a batch that began before a rebalance (kafkajs replaced the offsets it keeps)', async () => {
    let rebalances = 0;
    const membership = () => rebalances;
    const complete: Calls = { log: [] };
    await eachPartitionBatch(
      async (batch): Promise<BatchOutcome> => {
        batch.done('5');
        rebalances++;
        batch.done('6');
        expect(batch.owned()).toBe(false);
        return 'complete';
      },
      undefined,
      membership,
    )(payload(['5', '6'], complete));
    expect(complete.log).toEqual(['resolve 5']);

    // A rebalance while the pre-commit step waits (the accumulator waiting for replicas) counts too.
    const waiting: Calls = { log: [] };
    await eachPartitionBatch(
      async () => 'complete',
      async () => void rebalances++,
      membership,
    )(payload(['7'], waiting));
    expect(waiting.log).toEqual([]);

    // A batch that begins after the rebalance commits as usual.
    const after: Calls = { log: [] };
    await eachPartitionBatch(async () => 'complete', undefined, membership)(payload(['8'], after));
    expect(after.log).toEqual(['resolve 9', 'commit', 'heartbeat']);
  });

  it('does not hand over an empty batch, a stale one, or one arriving while the consumer stops', async () => {
    let handled = 0;
    const run = eachPartitionBatch(async () => {
      handled += 1;
      return 'complete';
    });
    const calls: Calls = { log: [] };
    await run(payload([], calls));
    await run(payload(['1'], calls, { stale: () => true }));
    await run(payload(['1'], calls, { running: false }));
    expect(handled).toBe(0);
    expect(calls.log).toEqual([]);
  });
});
