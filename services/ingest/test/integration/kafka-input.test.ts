// The Kafka input path: feeds that write his.claims.raw.v1 / registry.households.v1 directly. Valid records
// go to claims.v1 / households.v1, everything else (including bytes that are not JSON) to the dead-letter
// topics; the group's offsets are committed once the writes are acknowledged, and poison never stops it.
import { describe, expect, it } from 'vitest';
import { ClaimEventSchema, DeadLetterSchema, HouseholdEventSchema } from '@warnline/contracts';
import { createPseudonymiser } from '../../src/pseudonym.ts';
import { claim, household, residentId, uniqueId, waitFor } from '@warnline/test';
import { groupLag, PSEUDONYM_KEY, tappedIngestForFile } from '../support/integration.ts';

const pseudonymise = createPseudonymiser(PSEUDONYM_KEY);
const run = tappedIngestForFile('ingest-group-');

describe('Kafka input (his.claims.raw.v1, registry.households.v1)', () => {
  it('validates raw claims like HTTP: valid to claims.v1, invalid and undecodable to claims.dlq.v1, nothing stuck', async () => {
    const good = [claim({ personId: residentId(201) }), claim({ personId: residentId(202) })];
    const bad = { ...claim({ personId: residentId(203) }), visitType: 'dental' };
    const typo = { ...claim(), personId: '310115196001010011' };
    await run.producer.send({
      topic: run.ingest.topics.claimsRaw,
      acks: -1,
      messages: [
        { key: 'any', value: JSON.stringify(good[0]) },
        { value: `{"personId":"${residentId(204)}", truncated` },
        { value: Buffer.from([0xc3, 0x28, 0xff]) },
        { value: JSON.stringify(bad) },
        { value: JSON.stringify(typo) },
        { value: '[1,2,3]' },
        { value: null },
        { key: residentId(205), value: JSON.stringify(good[1]) },
      ],
    });

    const events = (await run.tap.waitForCount(run.ingest.topics.claims, 2)).map((m) => ({
      key: m.key,
      event: ClaimEventSchema.parse(JSON.parse(m.value!)),
    }));
    expect(events.map((e) => e.event.claimId).sort()).toEqual(good.map((c) => c.claimId).sort());
    // Keyed by the person pseudonym, whatever key the feed used.
    expect(events.find((e) => e.event.claimId === good[1]!.claimId)?.key).toBe(pseudonymise(residentId(202)));

    const letters = (await run.tap.waitForCount(run.ingest.topics.claimsDlq, 6)).map((m) =>
      DeadLetterSchema.parse(JSON.parse(m.value!)),
    );
    expect(letters.map((d) => d.code).sort()).toEqual([
      'INVALID_ENUM',
      'INVALID_PERSON_ID',
      'NOT_AN_OBJECT',
      'NOT_AN_OBJECT',
      'UNPARSEABLE_MESSAGE',
      'UNPARSEABLE_MESSAGE',
    ]);
    for (const d of letters)
      expect(d).toMatchObject({
        kind: 'claim',
        source: 'kafka',
        principal: null,
        kafka: { topic: run.ingest.topics.claimsRaw },
      });
    expect(letters.filter((d) => d.code === 'UNPARSEABLE_MESSAGE').map((d) => [d.inputType, d.input])).toEqual([
      ['bytes', null],
      ['bytes', null],
    ]);
    expect(letters.find((d) => d.code === 'INVALID_ENUM')!.input!.personId).toBe(pseudonymise(residentId(203)));
    expect(letters.find((d) => d.code === 'INVALID_PERSON_ID')!.input!.personId).toBe('<18 chars masked>');

    // Offsets are committed (lag 0) once everything is written: a restart would not re-read the poison.
    await waitFor(
      'ingest group lag 0 on the raw claims topic',
      async () => (await groupLag(run.kafka, run.group, [run.ingest.topics.claimsRaw])) === 0,
    );
  });

  it('keeps consuming after poison: a later claim still gets through', async () => {
    const later = claim({ personId: residentId(206) });
    const before = run.tap.on(run.ingest.topics.claims).length;
    await run.producer.send({
      topic: run.ingest.topics.claimsRaw,
      acks: -1,
      messages: [{ value: '\u0000garbage' }, { value: JSON.stringify(later) }],
    });
    const written = await run.tap.waitForCount(run.ingest.topics.claims, before + 1);
    expect(written.map((m) => JSON.parse(m.value!).claimId)).toContain(later.claimId);
    expect((await fetch(`${run.ingest.url}/healthz`)).status).toBe(200);
  });

  it('validates registry records: valid to households.v1 (key householdId), invalid and tombstones to households.dlq.v1', async () => {
    const hh = household({ householdId: uniqueId('HH'), members: [residentId(210), residentId(211)] });
    const dup = household({ householdId: uniqueId('HH'), members: [residentId(212), residentId(212)] });
    await run.producer.send({
      topic: run.ingest.topics.householdsRaw,
      acks: -1,
      messages: [
        { key: hh.householdId, value: JSON.stringify(hh) },
        { key: dup.householdId, value: JSON.stringify(dup) },
        { key: 'HH-deleted', value: null },
      ],
    });
    const [m] = await run.tap.waitForCount(run.ingest.topics.households, 1);
    expect(m!.key).toBe(hh.householdId);
    expect(HouseholdEventSchema.parse(JSON.parse(m!.value!)).members).toEqual([
      { personId: pseudonymise(residentId(210)) },
      { personId: pseudonymise(residentId(211)) },
    ]);
    const letters = (await run.tap.waitForCount(run.ingest.topics.householdsDlq, 2)).map((x) =>
      DeadLetterSchema.parse(JSON.parse(x.value!)),
    );
    expect(letters.map((d) => d.code).sort()).toEqual(['DUPLICATE_MEMBER', 'NOT_AN_OBJECT']);
    await waitFor(
      'ingest group lag 0 on the registry topic',
      async () => (await groupLag(run.kafka, run.group, [run.ingest.topics.householdsRaw])) === 0,
    );
  });

  it('counts Kafka input in the metrics under source="kafka"', async () => {
    const text = await (await fetch(`${run.ingest.url}/metrics`)).text();
    expect(text).toMatch(/ingest_claims_accepted_total\{source="kafka",institution_level="3"\} 3/);
    expect(text).toMatch(
      /ingest_claims_rejected_total\{source="kafka",code="UNPARSEABLE_MESSAGE",institution_level="unknown"\} 3/,
    );
    expect(text).toMatch(/ingest_households_accepted_total\{source="kafka"\} 1/);
  });
});
