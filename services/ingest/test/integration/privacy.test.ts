// Privacy: every raw identity number this test sends (valid, invalid, in the wrong field, inside an
// identifier — claimId, reversedClaimId, institution code, householdId —, in bytes that are not JSON, as a
// Kafka key) must be absent from every output: the four output topics (keys, values,
// headers), the service's whole log at debug level, its metrics, and the HTTP answers.
import { describe, expect, it } from 'vitest';
import { claim, household, residentId, uniqueId, waitFor } from '@warnline/test';
import { groupLag, tappedIngestForFile, type Ingest } from '../support/integration.ts';

const run = tappedIngestForFile('privacy-group-', { LOG_LEVEL: 'debug' });

/** A wrong check digit: the number of a real person with one typo. */
const typo = (id: string) => `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`;

describe('privacy', () => {
  it('no raw identity number reaches a topic, a log line, a metric or an answer', async () => {
    const valid = Array.from({ length: 8 }, (_, i) => residentId(400 + i));
    const sent = [
      ...valid,
      typo(residentId(420)),
      typo(residentId(421)),
      typo(residentId(422)),
      '11010519491231002x',
      '110105491231002',
    ];
    // Valid numbers inside identifiers: each must be refused, never carried on as an id.
    const inIds = [residentId(430), residentId(431), residentId(432), residentId(433)];
    sent.push(...inIds);
    const answers: string[] = [];
    const post = async (...args: Parameters<Ingest['post']>) => {
      const res = await run.ingest.post(...args);
      answers.push(await res.text());
      return res.status;
    };

    // HTTP: accepted, rejected for many reasons, refused as a whole.
    expect(
      await post('/v1/claims', [
        claim({ personId: valid[0] }),
        claim({ personId: valid[1]!.toLowerCase() }),
        { ...claim({ personId: valid[2] }), visitType: 'dental' },
        { ...claim(), personId: sent[8] },
        { ...claim(), personId: sent[11], amounts: 'none' },
        { ...claim(), personId: 12345, note: `patient ${valid[3]}`, [`id_${valid[4]}`]: true },
        { ...claim(), personIdType: 'passport', personId: valid[5] },
        { ...claim({ personId: valid[6] }), institution: { code: 'H31011000099', level: 1 } },
        { ...claim(), claimId: `C-${valid[3]}-oops spaces`, personId: sent[9] },
        valid[7],
        claim({ personId: valid[0], claimId: `C-${inIds[0]}-1` }),
        claim({ personId: valid[0], type: 'reversal', reversedClaimId: `C-${inIds[1]}-1` }),
      ]),
    ).toBe(202);
    expect(
      await post('/v1/households', [
        household({ householdId: uniqueId('HH'), members: [valid[0]!, valid[1]!] }),
        household({ householdId: uniqueId('HH'), members: [valid[2]!, sent[10]!] }),
        household({ householdId: uniqueId('HH'), members: [valid[3]!, valid[3]!.toLowerCase()] }),
        household({ householdId: `HH${inIds[2]}`, members: [valid[4]!] }),
      ]),
    ).toBe(202);
    expect(await post('/v1/claims', `{"personId":"${valid[0]}",`)).toBe(400);
    expect(await post('/v1/claims', claim({ personId: valid[1] }), `Bearer-less ${valid[2]}`)).toBe(401);
    expect(await post('/v1/claims', [claim({ personId: valid[3] })], run.ingest.tokens.registry)).toBe(403);

    // Kafka: valid, invalid, not JSON, identity numbers as keys.
    await run.producer.send({
      topic: run.ingest.topics.claimsRaw,
      acks: -1,
      messages: [
        { key: valid[4], value: JSON.stringify(claim({ personId: valid[4] })) },
        { key: valid[5], value: JSON.stringify({ ...claim(), personId: sent[12] }) },
        { value: `not json at all: ${valid[6]} ${sent[9]}` },
        { value: JSON.stringify({ ...claim({ personId: valid[7] }), serviceDate: '2999-01-01' }) },
        // No token limits the institutions of the Kafka input: only the id check stops this one.
        {
          value: JSON.stringify({ ...claim({ personId: valid[5] }), institution: { code: `H${inIds[3]}`, level: 3 } }),
        },
      ],
    });
    await run.producer.send({
      topic: run.ingest.topics.householdsRaw,
      acks: -1,
      messages: [
        {
          key: 'HH-p1',
          value: JSON.stringify(household({ householdId: uniqueId('HH'), members: [valid[5]!, valid[6]!] })),
        },
        {
          key: 'HH-p2',
          value: JSON.stringify({
            ...household({ householdId: uniqueId('HH') }),
            members: [{ personId: sent[12] }],
            version: 'x',
          }),
        },
      ],
    });
    await waitFor(
      'the Kafka input to finish',
      async () =>
        (await groupLag(run.kafka, run.group, [run.ingest.topics.claimsRaw, run.ingest.topics.householdsRaw])) === 0,
    );

    const messages = await run.tap.drain();
    expect(run.tap.on(run.ingest.topics.claims).length).toBe(4);
    expect(run.tap.on(run.ingest.topics.households).length).toBe(2);
    expect(run.tap.on(run.ingest.topics.claimsDlq).length).toBe(13);
    expect(run.tap.on(run.ingest.topics.householdsDlq).length).toBe(4);
    const idRejections = run.tap
      .on(run.ingest.topics.claimsDlq)
      .concat(run.tap.on(run.ingest.topics.householdsDlq))
      .map((m) => JSON.parse(m.value!) as { code: string; field: string })
      .filter((d) => d.code === 'IDENTITY_NUMBER_IN_ID')
      .map((d) => d.field)
      .sort();
    expect(idRejections).toEqual(['claimId', 'householdId', 'institution.code', 'reversedClaimId']);

    const outputs = {
      topics: messages.map((m) => [m.key, m.value, JSON.stringify(m.headers)].join('\n')).join('\n'),
      log: run.ingest.service.output(),
      metrics: await (await fetch(`${run.ingest.url}/metrics`)).text(),
      answers: answers.join('\n'),
    };
    expect(outputs.log.length).toBeGreaterThan(0);
    for (const [where, text] of Object.entries(outputs)) {
      for (const id of sent) {
        for (const variant of new Set([id, id.toUpperCase(), id.toLowerCase()])) {
          expect(text.includes(variant), `${variant} found in ${where}`).toBe(false);
        }
      }
      // Nor the tokens, in any output.
      expect(
        text.includes(run.ingest.tokens.hospital) || text.includes(run.ingest.tokens.registry),
        `a token found in ${where}`,
      ).toBe(false);
    }
  });
});
