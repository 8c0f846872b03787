// How ingest writes: requests cut below Kafka's limit, records too large for Kafka rejected before they are
// written, and a Kafka input batch whose write is refused written message by message, with a message Kafka
// keeps refusing parked on the dead-letter topic so its partition goes on.
import { describe, expect, it } from 'vitest';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { pino } from 'pino';
import { DeadLetterSchema } from '@warnline/contracts';
import { eachPartitionBatch } from '@warnline/runtime';
import { createIntake, emptyOutbound, type Outbound } from '../../src/intake.ts';
import { createBatchHandler } from '../../src/kafka-input.ts';
import { createMetrics } from '../../src/metrics.ts';
import { requests } from '../../src/publisher.ts';
import { MAX_REQUEST_BYTES, recordBytes } from '../../src/record-size.ts';
import { claim, residentId } from '@warnline/test';
import { pseudonymise } from '../support/harness.ts';

const topics = { claimsRaw: 'raw.claims', householdsRaw: 'raw.households' };

describe('requests', () => {
  it('cuts a delivery into requests of at most MAX_REQUEST_BYTES, in order, one oversized record alone', () => {
    const record = (topic: string, n: number) => ({ topic, message: { key: null, value: 'x'.repeat(n) } });
    const list = [
      ...Array.from({ length: 300 }, () => record('a', 4000)),
      record('b', 900_000),
      ...Array.from({ length: 10 }, () => record('b', 100)),
    ];
    const cut = requests(list);
    expect(cut.length).toBeGreaterThan(2);
    for (const request of cut) {
      const bytes = request.flatMap((t) => t.messages).reduce((s, m) => s + recordBytes(m), 0);
      expect(bytes <= MAX_REQUEST_BYTES || request.flatMap((t) => t.messages).length === 1).toBe(true);
    }
    expect(cut.flatMap((r) => r.flatMap((t) => t.messages.map(() => t.topic)))).toEqual(list.map((r) => r.topic));
  });
});

describe('record size', () => {
  it('rejects an event larger than the record limit with RECORD_TOO_LARGE, as a dead letter', () => {
    const intake = createIntake({ pseudonymise, retentionMonths: 14, maxRecordBytes: 300 });
    const out = emptyOutbound();
    const origin = { source: 'http' as const, principal: 'ruijin', receivedAt: new Date().toISOString() };
    const outcome = intake.claim({ json: claim({ personId: residentId(3) }) }, intake.context(new Date()), origin, out);
    expect(outcome).toMatchObject({ ok: false, rejections: [{ code: 'RECORD_TOO_LARGE' }] });
    expect(out.claims).toEqual([]);
    expect(out.claimDeadLetters.map((d) => d.code)).toEqual(['RECORD_TOO_LARGE']);
  });
});

describe('Kafka input batches', () => {
  const poisoned = claim({ personId: residentId(11) });
  const good = [claim({ personId: residentId(12) }), claim({ personId: residentId(13) })];

  function payload(values: unknown[], resolved: string[]): EachBatchPayload {
    const messages = values.map((v, i) => ({ offset: String(10 + i), value: Buffer.from(JSON.stringify(v)) }));
    return {
      batch: {
        topic: topics.claimsRaw,
        partition: 2,
        messages: messages as unknown as KafkaMessage[],
        lastOffset: () => messages[messages.length - 1]!.offset,
      },
      resolveOffset: (offset: string) => void resolved.push(offset),
      commitOffsetsIfNecessary: async () => undefined,
      heartbeat: async () => undefined,
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload;
  }

  function handler(write: (out: Outbound) => Promise<void>) {
    return eachPartitionBatch(
      createBatchHandler({
        topics,
        intake: createIntake({ pseudonymise, retentionMonths: 14 }),
        publisher: { write },
        metrics: createMetrics(),
        logger: pino({ level: 'silent' }),
      }),
    );
  }

  it('parks a message whose records Kafka keeps refusing (PUBLISH_REFUSED) and writes and commits the rest', async () => {
    const written: Outbound[] = [];
    const resolved: string[] = [];
    const eachBatch = handler(async (out) => {
      if (out.claims.some((c) => c.claimId === poisoned.claimId)) throw new Error('refused');
      written.push(out);
    });
    await eachBatch(payload([good[0], poisoned, good[1]], resolved));

    expect(resolved).toEqual(['10', '11', '12']);
    expect(written.flatMap((o) => o.claims.map((c) => c.claimId))).toEqual(good.map((c) => c.claimId));
    const letters = written.flatMap((o) => o.claimDeadLetters).map((d) => DeadLetterSchema.parse(d));
    expect(letters).toMatchObject([
      { code: 'PUBLISH_REFUSED', kafka: { topic: topics.claimsRaw, partition: 2, offset: '11' } },
    ]);
    expect(letters[0]!.message).toContain('(Error)');
  });

  it('fails the batch, from the message it could not write, when not even a dead letter can be written', async () => {
    const resolved: string[] = [];
    let calls = 0;
    const eachBatch = handler(async (out) => {
      calls += 1;
      // The batch write fails; the first message alone succeeds; then Kafka is gone.
      if (calls === 1 || out.claims[0]?.claimId !== good[0]!.claimId) throw new Error('down');
    });
    await expect(eachBatch(payload([good[0], poisoned, good[1]], resolved))).rejects.toThrow('down');
    expect(resolved).toEqual(['10']);
  });
});
