// Privacy: every raw identity number this test sends (valid, invalid, in the wrong field, inside an
// identifier — claimId, reversedClaimId, institution code, householdId —, in bytes that are not JSON, as a
// Kafka key, in a national-platform exchange) must be absent from every output: the four output topics (keys,
// values, headers), the service's whole log at debug level, its metrics, the HTTP answers and every Redis
// key it writes (the identity store holds sealed records only). The one way back is the reveal route, with
// an internal token; its answer is the only place a number may appear.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { claim, deleteKeysUnder, household, nhsaExchange, residentId, uniqueId, waitFor } from '@warnline/test';
import { createPseudonymiser } from '../../src/pseudonym.ts';
import { groupLag, PSEUDONYM_KEY, tappedIngestForFile, type Ingest } from '../support/integration.ts';

const identityPrefix = uniqueId('wli');
const internalToken = uniqueId('internal-secret-0123456789-');
const run = tappedIngestForFile('privacy-group-', {
  LOG_LEVEL: 'debug',
  IDENTITY_KEYS: `k1:${Buffer.alloc(32, 3).toString('base64')}`,
  IDENTITY_KEY_ID: 'k1',
  IDENTITY_REDIS_URL: inject('redisUrl'),
  IDENTITY_PREFIX: identityPrefix,
  INTERNAL_TOKENS: JSON.stringify([{ name: 'alerter', token: internalToken }]),
});
const pseudonymOf = createPseudonymiser(PSEUDONYM_KEY);
const redis = new Redis(inject('redisUrl'));
afterAll(async () => {
  await deleteKeysUnder(redis, [identityPrefix]);
  await redis.quit();
});

/** Every key under the identity prefix with its value, a SCAN at a time. */
async function identityRecords(): Promise<Map<string, string>> {
  const records = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${identityPrefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) records.set(key, (await redis.get(key)) ?? '');
  } while (cursor !== '0');
  return records;
}

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
    // A person only a national-platform exchange names.
    const viaExchange = residentId(440);
    sent.push(viaExchange);
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
    expect(await post('/v1/nhsa/exchanges', [nhsaExchange({ infno: '2207', certno: viaExchange })])).toBe(202);
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
    expect(run.tap.on(run.ingest.topics.claims).length).toBe(5);
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

    // Every pseudonym an accepted claim or household carries (HTTP, Kafka input, exchange) has a sealed
    // identity record, and no other pseudonym has one.
    const records = await identityRecords();
    const issued = new Set([
      ...run.tap.on(run.ingest.topics.claims).map((m) => (JSON.parse(m.value!) as { personId: string }).personId),
      ...run.tap
        .on(run.ingest.topics.households)
        .flatMap((m) => (JSON.parse(m.value!) as { members: { personId: string }[] }).members.map((x) => x.personId)),
    ]);
    expect(issued.has(pseudonymOf(viaExchange))).toBe(true);
    expect([...records.keys()].sort()).toEqual([...issued].map((p) => `${identityPrefix}:identity:${p}`).sort());
    for (const value of records.values()) expect(value).toMatch(/^k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

    // The reveal route: internal tokens only, and the one answer that holds numbers.
    const reveal = (token: string, pseudonyms: string[]) =>
      fetch(`${run.ingest.url}/internal/v1/identities/reveal`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ pseudonyms, requestedBy: 'st-a', alertId: '310113103-000001', purpose: '入户核查' }),
      });
    for (const token of [run.ingest.tokens.hospital, run.ingest.tokens.registry, 'not-a-token-0123456789']) {
      const refused = await reveal(token, [pseudonymOf(valid[0]!)]);
      expect(refused.status).toBe(401);
      answers.push(await refused.text());
    }
    const unknown = await reveal(internalToken, [pseudonymOf(residentId(499))]);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'IDENTITY_NOT_FOUND' });
    const revealed = await reveal(internalToken, [
      pseudonymOf(valid[4]!),
      pseudonymOf(viaExchange),
      pseudonymOf(residentId(499)),
    ]);
    expect(revealed.status).toBe(200);
    expect(revealed.headers.get('cache-control')).toBe('no-store');
    expect(((await revealed.json()) as { identities: unknown[] }).identities).toEqual([
      { pseudonym: pseudonymOf(valid[4]!), personIdType: 'resident', personId: valid[4] },
      { pseudonym: pseudonymOf(viaExchange), personIdType: 'resident', personId: viaExchange },
      { pseudonym: pseudonymOf(residentId(499)), code: 'IDENTITY_NOT_FOUND' },
    ]);

    const outputs = {
      topics: messages.map((m) => [m.key, m.value, JSON.stringify(m.headers)].join('\n')).join('\n'),
      redis: [...records].map(([key, value]) => `${key}\n${value}`).join('\n'),
      // Read after the reveal: the log holds who asked and how many, never what was answered.
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
        text.includes(run.ingest.tokens.hospital) ||
          text.includes(run.ingest.tokens.registry) ||
          text.includes(internalToken),
        `a token found in ${where}`,
      ).toBe(false);
    }
  });
});
