// Ingest over HTTP against the real broker, as a separate process: what is accepted lands on claims.v1 /
// households.v1 with pseudonyms, what is refused gets its code in the 202 answer and a dead letter.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ClaimEventSchema, DeadLetterSchema, HouseholdEventSchema, type DeadLetter } from '@warnline/contracts';
import { createPseudonymiser } from '../../src/pseudonym.ts';
import { claim, daysAgo, household, residentId, uniqueId } from '@warnline/test';
import { PSEUDONYM_KEY, startIngest, Tap, type Ingest } from '../support/integration.ts';

const pseudonymise = createPseudonymiser(PSEUDONYM_KEY);
let ingest: Ingest;
let tap: Tap;

beforeAll(async () => {
  ingest = await startIngest(inject('kafkaBrokers'), { INGEST_MAX_BATCH: '50', INGEST_BODY_LIMIT: '65536' });
  const t = ingest.topics;
  tap = await Tap.start(inject('kafkaBrokers'), [t.claims, t.households, t.claimsDlq, t.householdsDlq]);
});

afterAll(async () => {
  await tap?.stop();
  expect(await ingest?.service.stop()).toBe(0);
});

const lettersOn = (topic: string) => tap.on(topic).map((m) => DeadLetterSchema.parse(JSON.parse(m.value!)));

describe('ingest HTTP API against the real broker', () => {
  it('accepts claims: 202 only after the write, pseudonymised on claims.v1, keyed by the person pseudonym', async () => {
    const person = residentId(101);
    const claims = [
      claim({ personId: person }),
      claim({ personId: person.toLowerCase() }),
      claim({ personId: residentId(102) }),
    ];
    const res = await ingest.post('/v1/claims', claims);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 3, rejected: [] });
    // acks = -1 before 202: the records are readable at once, no retry loop needed to find them.
    const onTopic = await tap.waitForCount(ingest.topics.claims, 3);
    const events = onTopic.map((m) => ({ key: m.key, event: ClaimEventSchema.parse(JSON.parse(m.value!)) }));
    const byId = new Map(events.map((e) => [e.event.claimId, e]));
    expect(byId.get(claims[0]!.claimId)?.key).toBe(pseudonymise(person));
    expect(byId.get(claims[1]!.claimId)?.key).toBe(pseudonymise(person)); // lower-case x: same person, same key
    expect(byId.get(claims[2]!.claimId)?.event.personId).toBe(pseudonymise(residentId(102)));
    // One person, one partition: the accumulator sees a person's claims in order, on one instance.
    expect(new Set(onTopic.filter((m) => m.key === pseudonymise(person)).map((m) => m.partition)).size).toBe(1);
  });

  it('makes a resent claim byte-identical apart from receivedAt', async () => {
    const c = claim({ personId: residentId(103) });
    const before = tap.on(ingest.topics.claims).length;
    expect((await ingest.post('/v1/claims', c)).status).toBe(202);
    expect((await ingest.post('/v1/claims', Object.fromEntries(Object.entries(c).reverse()))).status).toBe(202);
    const [a, b] = (await tap.waitForCount(ingest.topics.claims, before + 2)).filter(
      (m) => JSON.parse(m.value!).claimId === c.claimId,
    );
    const strip = (v: string) => JSON.stringify({ ...JSON.parse(v), receivedAt: undefined });
    expect(strip(a!.value!)).toBe(strip(b!.value!));
    expect(a!.key).toBe(b!.key);
  });

  it('accepts households with a registry token, members pseudonymised, keyed by householdId', async () => {
    const hh = household({ householdId: uniqueId('HH'), members: [residentId(104), residentId(105)] });
    const res = await ingest.post('/v1/households', [hh]);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
    const [m] = (await tap.waitForCount(ingest.topics.households, 1)).filter((x) => x.key === hh.householdId);
    const event = HouseholdEventSchema.parse(JSON.parse(m!.value!));
    expect(event.members).toEqual([
      { personId: pseudonymise(residentId(104)) },
      { personId: pseudonymise(residentId(105)) },
    ]);
  });

  it('rejects each broken claim with its own code and field, keeps the good ones, and dead-letters the rest', async () => {
    const base = () => claim({ personId: residentId(110) });
    const b = base();
    const cases: [string, unknown][] = [
      [
        'INVALID_PERSON_ID@personId',
        { ...base(), personId: `${residentId(111).slice(0, 17)}${residentId(111).endsWith('0') ? '1' : '0'}` },
      ],
      ['AMOUNT_IDENTITY@amounts', { ...b, amounts: { ...b.amounts, cash: '4000.01' } }],
      ['POLICY_SCOPE_EXCEEDS_TOTAL@amounts.policyScope', { ...b, amounts: { ...b.amounts, policyScope: '99999.00' } }],
      ['INVALID_MONEY@amounts.cash', { ...b, amounts: { ...b.amounts, cash: '-4000.00' } }],
      ['INVALID_DATE@serviceDate', { ...base(), serviceDate: '2024-02-30' }],
      ['INVALID_INSTANT@settledAt', { ...base(), settledAt: '2024-03-16 10:20' }],
      ['INVALID_ENUM@visitType', { ...base(), visitType: 'dental' }],
      ['MISSING_FIELD@visitType', (({ visitType: _v, ...rest }) => rest)(base())],
      ['WRONG_TYPE@institution.level', { ...base(), institution: { code: 'H31011000012', level: '3' } }],
      ['NOT_AN_OBJECT@(item)', 'a string'],
      ['INVALID_ID@claimId', { ...base(), claimId: 'has spaces' }],
      ['REVERSAL_TARGET_MISSING@reversedClaimId', { ...base(), type: 'reversal' }],
      ['REVERSAL_TARGET_UNEXPECTED@reversedClaimId', { ...base(), reversedClaimId: 'C0' }],
      [
        'REVERSAL_OF_ITSELF@reversedClaimId',
        (() => {
          const c = base();
          return { ...c, type: 'reversal', reversedClaimId: c.claimId };
        })(),
      ],
      ['SERVICE_DATE_IN_FUTURE@serviceDate', claim({ serviceDate: daysAgo(-2) })],
      ['SERVICE_DATE_TOO_OLD@serviceDate', claim({ serviceDate: daysAgo(600) })],
      ['SETTLED_BEFORE_SERVICE@settledAt', { ...base(), settledAt: `${daysAgo(10)}T09:00:00+08:00` }],
    ];
    const dlqBefore = tap.on(ingest.topics.claimsDlq).length;
    const res = await ingest.post('/v1/claims', [claim(), ...cases.map(([, c]) => c)]);
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      accepted: number;
      rejected: { index: number; code: string; field: string; claimId?: string }[];
    };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => `${r.code}@${r.field}`)).toEqual(cases.map(([code]) => code));
    expect(body.rejected.map((r) => r.index)).toEqual(cases.map((_, i) => i + 1));
    expect(body.rejected[1]!.claimId).toBe(b.claimId);

    await tap.waitForCount(ingest.topics.claimsDlq, dlqBefore + cases.length);
    const letters = lettersOn(ingest.topics.claimsDlq).slice(dlqBefore);
    expect(letters.map((d) => `${d.code}@${d.field}`).sort()).toEqual(cases.map(([code]) => code).sort());
    const identity = letters.find((d) => d.code === 'AMOUNT_IDENTITY')!;
    expect(identity).toMatchObject({
      kind: 'claim',
      source: 'http',
      principal: 'ruijin',
      institution: 'H31011000012',
      kafka: null,
      inputType: 'object',
    });
    expect(identity.input).toMatchObject({
      claimId: b.claimId,
      personId: pseudonymise(residentId(110)),
      amounts: { ...b.amounts, cash: '4000.01' },
    });
    expect(letters.find((d) => d.code === 'INVALID_PERSON_ID')!.input!.personId).toBe('<18 chars masked>');
    expect(letters.find((d) => d.code === 'NOT_AN_OBJECT')).toMatchObject({ inputType: 'string', input: null });
    expect(
      tap
        .on(ingest.topics.claimsDlq)
        .slice(dlqBefore)
        .every((m) => m.key === null && m.headers.code !== undefined && m.headers.source === 'http'),
    ).toBe(true);
  });

  it('rejects broken households with their codes and dead-letters them', async () => {
    const dlqBefore = tap.on(ingest.topics.householdsDlq).length;
    const res = await ingest.post('/v1/households', [
      household({ householdId: uniqueId('HH'), members: [residentId(120), residentId(120).toLowerCase()] }),
      household({ householdId: uniqueId('HH'), version: -3 }),
    ]);
    const body = (await res.json()) as { rejected: { code: string; householdId: string }[] };
    expect(body.rejected.map((r) => r.code)).toEqual(['DUPLICATE_MEMBER', 'INVALID_VERSION']);
    const letters = (await tap.waitForCount(ingest.topics.householdsDlq, dlqBefore + 2))
      .slice(dlqBefore)
      .map((m) => JSON.parse(m.value!) as DeadLetter);
    expect(letters.map((d) => d.code).sort()).toEqual(['DUPLICATE_MEMBER', 'INVALID_VERSION']);
    expect(letters.find((d) => d.code === 'DUPLICATE_MEMBER')!.input!.members).toEqual([
      { personId: pseudonymise(residentId(120)) },
      { personId: pseudonymise(residentId(120)) },
    ]);
  });

  it('rejects claims of another institution item by item (FORBIDDEN_INSTITUTION), accepting the rest', async () => {
    const other = { ...claim(), institution: { code: 'H31011000099', level: 2 } };
    const mine = claim();
    const before = tap.on(ingest.topics.claims).length;
    const res = await ingest.post('/v1/claims', [other, mine]);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({
      accepted: 1,
      rejected: [{ index: 0, claimId: other.claimId, code: 'FORBIDDEN_INSTITUTION', field: 'institution.code' }],
    });
    const written = (await tap.waitForCount(ingest.topics.claims, before + 1)).map((m) => JSON.parse(m.value!).claimId);
    expect(written).toContain(mine.claimId);
    expect(written).not.toContain(other.claimId);
    await tap.waitForCount(ingest.topics.claimsDlq, 1);
    await expect
      .poll(() => lettersOn(ingest.topics.claimsDlq).find((d) => d.code === 'FORBIDDEN_INSTITUTION'))
      .toMatchObject({ institution: 'H31011000099', principal: 'ruijin' });
  });

  it('answers 401 without a token or with an unknown one, 403 for the wrong role, and stores nothing', async () => {
    const c = claim();
    for (const token of [null, 'an-unknown-token-0123456789', `${ingest.tokens.hospital}x`]) {
      const res = await ingest.post('/v1/claims', c, token);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    expect((await ingest.post('/v1/claims', c, ingest.tokens.registry)).status).toBe(403);
    expect((await ingest.post('/v1/households', household(), ingest.tokens.hospital)).status).toBe(403);
    const all = await tap.drain();
    expect(all.some((m) => m.value?.includes(c.claimId))).toBe(false);
  });

  it('answers 400 for a body that is not JSON, 413 above the size or batch limit, 415 for another content type', async () => {
    const codeOf = async (res: Response) => [res.status, ((await res.json()) as { code: string }).code];
    const notJson = await ingest.post('/v1/claims', '{"claimId": "x", ');
    expect(await codeOf(notJson)).toEqual([400, 'INVALID_JSON']);
    const tooBig = await ingest.post('/v1/claims', [{ ...claim(), pad: 'x'.repeat(70_000) }]);
    expect(await codeOf(tooBig)).toEqual([413, 'BODY_TOO_LARGE']);
    const tooMany = await ingest.post(
      '/v1/claims',
      Array.from({ length: 51 }, () => claim()),
    );
    expect(await codeOf(tooMany)).toEqual([413, 'BATCH_TOO_LARGE']);
    const form = await ingest.post('/v1/claims', 'a=b', undefined, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(await codeOf(form)).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('exposes metrics by code and institution level, households, refusals and latency, without identities', async () => {
    const text = await (await fetch(`${ingest.url}/metrics`)).text();
    expect(text).toMatch(/ingest_claims_accepted_total\{source="http",institution_level="3"\} \d+/);
    expect(text).toContain(
      'ingest_claims_rejected_total{source="http",code="AMOUNT_IDENTITY",institution_level="3"} 1',
    );
    expect(text).toContain(
      'ingest_claims_rejected_total{source="http",code="FORBIDDEN_INSTITUTION",institution_level="2"} 1',
    );
    expect(text).toContain('ingest_households_rejected_total{source="http",code="DUPLICATE_MEMBER"} 1');
    expect(text).toMatch(/ingest_requests_refused_total\{route="\/v1\/claims",code="UNAUTHENTICATED"\} 3/);
    expect(text).toMatch(
      /ingest_http_request_duration_seconds_bucket\{le="0.1",route="\/v1\/claims",method="POST",status="202"\} \d+/,
    );
    expect(text).not.toMatch(/p_[0-9a-f]{32}/);
    expect(text).not.toContain(residentId(101));
  });
});
