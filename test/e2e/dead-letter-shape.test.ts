// Every dead letter has one shape, whichever service wrote it: a claim refused by ingest's HTTP API and a
// conflicting redelivery refused by the accumulator land on claims.dlq.v1 with the same value fields, the
// same headers and the stated key rule (the original key downstream of ingest, null from HTTP).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DeadLetterSchema, type DeadLetter } from '@warnline/contracts';
import { claim } from '@warnline/test';
import { pseudonymFor, settlement } from '../../services/accumulator/test/support.ts';
import { Harness } from '../../services/accumulator/test/integration/harness.ts';
import { startIngest, Tap, type Ingest, type TappedMessage } from '../../services/ingest/test/support/integration.ts';

describe('dead letters: one shape from ingest and from the accumulator', () => {
  const h = new Harness(3);
  let ingest: Ingest;
  let tap: Tap;

  beforeAll(async () => {
    await h.setup();
    await h.start();
    ingest = await startIngest(inject('kafkaBrokers'), {
      TOPIC_NAMESPACE: h.topics.claims.slice(0, -'claims.v1'.length),
    });
    tap = await Tap.start(inject('kafkaBrokers'), [h.topics.claimsDlq]);
  });
  afterAll(async () => {
    await tap?.stop();
    await ingest?.service.stop();
    expect(await h.teardown()).toEqual([0]);
  });

  it('writes the same fields, headers and key rule from both services', async () => {
    const refused = claim({ claimId: 'dl-shape-http-1' });
    refused.amounts.cash = '0.01';
    const res = await ingest.post('/v1/claims', refused);
    expect(res.status).toBe(202);

    const person = pseudonymFor();
    const first = settlement({ person, serviceDate: '2024-04-01', cash: '1234.56', institution: 'H31011500077' });
    const conflicting = { ...first, amounts: { ...first.amounts, cash: '1234.57', total: '1534.57' } };
    conflicting.amounts.policyScope = '1524.57';
    await h.sendClaims([first]);
    await h.drained();
    await h.sendClaims([conflicting]);
    await h.drained();

    const letters = await tap.waitForCount(h.topics.claimsDlq, 2);
    const fromHttp = letters.find((m) => value(m).source === 'http')!;
    const fromAccumulator = letters.find((m) => value(m).source === 'kafka')!;
    expect(value(fromHttp)).toMatchObject({ kind: 'claim', code: 'AMOUNT_IDENTITY', principal: 'ruijin', kafka: null });
    expect(value(fromAccumulator)).toMatchObject({
      kind: 'claim',
      code: 'CLAIM_CONFLICT',
      principal: null,
      kafka: { topic: h.topics.claims },
    });

    for (const m of [fromHttp, fromAccumulator]) {
      const letter = value(m);
      expect(DeadLetterSchema.strict().parse(letter)).toEqual(letter);
      expect(m.headers).toEqual({ code: letter.code, kind: letter.kind, source: letter.source });
    }
    expect(Object.keys(value(fromHttp)).sort()).toEqual(Object.keys(value(fromAccumulator)).sort());
    expect(fromHttp.key).toBeNull();
    expect(fromAccumulator.key).toBe(person);
  });
});

function value(m: TappedMessage): DeadLetter {
  return JSON.parse(m.value!) as DeadLetter;
}
