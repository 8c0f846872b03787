// National-platform settlement exchanges through the real process and broker: every kind, as HISs log them
// (amounts as numbers and as strings), over HTTP and on his.nhsa.raw.v1; cancellations before and after their
// settlement; every rejection with its code and field on the dead-letter topic; no identity number anywhere.
import { describe, expect, it } from 'vitest';
import { ClaimEventSchema, DeadLetterSchema, type ClaimEvent } from '@warnline/contracts';
import { createPseudonymiser } from '../../src/pseudonym.ts';
import { daysAgo, residentId, nhsaExchange, setlId } from '@warnline/test';
import { PSEUDONYM_KEY, tappedIngestForFile } from '../support/integration.ts';

const pseudonymise = createPseudonymiser(PSEUDONYM_KEY);
const run = tappedIngestForFile('nhsa-group-');

type Answer = { accepted: number; rejected: { index: number; claimId?: string; code: string; field: string }[] };

async function post(body: unknown): Promise<Answer> {
  const res = await run.ingest.post('/v1/nhsa/exchanges', body);
  expect(res.status).toBe(202);
  return (await res.json()) as Answer;
}

function eventsFor(claimIds: readonly string[]): Promise<ClaimEvent[]> {
  return run.tap
    .waitForCount(run.ingest.topics.claims, 1)
    .then(() =>
      expect
        .poll(
          () =>
            run.tap
              .on(run.ingest.topics.claims)
              .map((m) => ClaimEventSchema.parse(JSON.parse(m.value!)))
              .filter((e) => claimIds.includes(e.claimId)),
          { timeout: 60_000 },
        )
        .toHaveLength(claimIds.length),
    )
    .then(() =>
      run.tap
        .on(run.ingest.topics.claims)
        .map((m) => ClaimEventSchema.parse(JSON.parse(m.value!)))
        .filter((e) => claimIds.includes(e.claimId)),
    );
}

describe('POST /v1/nhsa/exchanges', () => {
  it('takes 2207 and 2304 settlements of every med_type, amounts as numbers or strings, as pseudonymised claims', async () => {
    const person = residentId(501);
    const exchanges = [
      nhsaExchange({ infno: '2207', medType: '11', certno: person, amountsAs: 'number' }),
      nhsaExchange({ infno: '2207', medType: '13', certno: person, amountsAs: 'string' }),
      nhsaExchange({ infno: '2207', medType: '14', certno: person, amountsAs: 'number', hospPartFen: 2500 }),
      nhsaExchange({ infno: '2207', medType: '41', certno: person }),
      nhsaExchange({ infno: '2304', medType: '21', certno: person, amountsAs: 'string' }),
      nhsaExchange({ infno: '2304', medType: '52', certno: person, amountsAs: 'number' }),
      nhsaExchange({ infno: '2207', certType: '06', certno: 'E98765432', psnNo: '31000000000000654321' }),
    ];
    const ids = exchanges.map((e) => e.response.output.setlinfo.setl_id as string);
    expect(await post(exchanges)).toEqual({ accepted: 7, rejected: [] });

    const events = await eventsFor(ids);
    const byId = new Map(events.map((e) => [e.claimId, e]));
    expect(ids.map((id) => byId.get(id)?.visitType)).toEqual([
      'outpatient',
      'emergency',
      'outpatient',
      'pharmacy',
      'inpatient',
      'inpatient',
      'outpatient',
    ]);
    expect(byId.get(ids[0]!)).toMatchObject({
      type: 'settlement',
      personId: pseudonymise(person, 'resident'),
      institution: { code: 'H31011000012', level: 3 },
      serviceDate: daysAgo(3),
      settledAt: `${daysAgo(3)}T10:30:15+08:00`,
      amounts: { total: '18650.40', basicFund: '9800.00', criticalIllness: '2100.50', cash: '5249.90' },
      hospitalShare: '0.00',
      insuredAreaCode: '310115',
    });
    expect(byId.get(ids[2]!)).toMatchObject({ amounts: { total: '18650.40' }, hospitalShare: '25.00' });
    expect(byId.get(ids[6]!)?.personId).toBe(pseudonymise('nhsa:31000000000000654321', 'other'));
    const written = JSON.stringify(run.tap.on(run.ingest.topics.claims));
    expect(written).not.toContain(person);
    expect(written).not.toContain('张三');
  });

  it('takes a cancellation (2208, 2305) before and after the settlement it names, as a reversal of it', async () => {
    const person = residentId(502);
    const outpatient = setlId();
    const inpatient = setlId();
    const cancelFirst = nhsaExchange({
      infno: '2208',
      cancels: outpatient,
      certno: person,
      sign: -1,
      setlTime: `${daysAgo(1)} 09:00:00`,
    });
    const settledLater = nhsaExchange({
      infno: '2207',
      setlId: outpatient,
      certno: person,
      setlTime: `${daysAgo(5)} 16:00:00`,
    });
    expect(await post(cancelFirst)).toEqual({ accepted: 1, rejected: [] });
    expect(await post(settledLater)).toEqual({ accepted: 1, rejected: [] });

    const settledFirst = nhsaExchange({ infno: '2304', setlId: inpatient, certno: person, amountsAs: 'number' });
    const cancelLater = nhsaExchange({ infno: '2305', cancels: inpatient, certno: person, amountsAs: 'number' });
    expect(await post([settledFirst, cancelLater])).toEqual({ accepted: 2, rejected: [] });

    const cancellations = [cancelFirst, cancelLater].map((e) => e.response.output.setlinfo.setl_id as string);
    const events = await eventsFor([...cancellations, outpatient, inpatient]);
    const byId = new Map(events.map((e) => [e.claimId, e]));
    expect(byId.get(cancellations[0]!)).toMatchObject({
      type: 'reversal',
      reversedClaimId: outpatient,
      // The cancellation's own date: the accumulator nets it in the original's month.
      serviceDate: daysAgo(1),
      amounts: { total: '-18650.40' },
    });
    expect(byId.get(cancellations[1]!)).toMatchObject({ type: 'reversal', reversedClaimId: inpatient });
    expect(byId.get(outpatient)).toMatchObject({ type: 'settlement', serviceDate: daysAgo(5) });
    // All keyed by the person: reversal and original land on one partition.
    const keys = new Set(
      run.tap
        .on(run.ingest.topics.claims)
        .filter((m) => [...cancellations, outpatient, inpatient].some((id) => m.value!.includes(id)))
        .map((m) => m.key),
    );
    expect([...keys]).toEqual([pseudonymise(person, 'resident')]);
  });

  it('makes the same claim from the same exchange sent twice', async () => {
    const exchange = nhsaExchange({ certno: residentId(503), amountsAs: 'number' });
    const id = exchange.response.output.setlinfo.setl_id as string;
    expect(await post(exchange)).toEqual({ accepted: 1, rejected: [] });
    expect(await post(structuredClone(exchange))).toEqual({ accepted: 1, rejected: [] });
    await expect
      .poll(() => run.tap.on(run.ingest.topics.claims).filter((m) => m.value!.includes(id)).length, { timeout: 60_000 })
      .toBe(2);
    const [first, second] = run.tap
      .on(run.ingest.topics.claims)
      .filter((m) => m.value!.includes(id))
      .map((m) => {
        const { receivedAt: _, ...content } = JSON.parse(m.value!) as ClaimEvent;
        return JSON.stringify(content);
      });
    expect(second).toBe(first);
  });

  it('refuses each broken exchange with its code and field, dead-letters it with the identity number masked, and counts nothing', async () => {
    const person = residentId(504);
    const typo = `${person.slice(0, 17)}${person[17] === '0' ? '1' : '0'}`;
    const noSetlinfo = nhsaExchange({ certno: person });
    (noSetlinfo.response.output as Record<string, unknown>).setlinfo = undefined;
    const cases: [unknown, string, string][] = [
      [nhsaExchange({ certno: person, infcode: -1 }), 'NHSA_CALL_FAILED', 'response.infcode'],
      [nhsaExchange({ certno: person, infno: '2401' as never }), 'NHSA_UNKNOWN_INFNO', 'request.infno'],
      [noSetlinfo, 'NHSA_SETTLEMENT_MISSING', 'response.output.setlinfo'],
      [
        nhsaExchange({ certno: person, setlinfo: { fund_pay_sumamt: '12400.51' } }),
        'NHSA_AMOUNT_IDENTITY',
        'response.output.setlinfo.medfee_sumamt',
      ],
      [nhsaExchange({ certno: typo }), 'INVALID_PERSON_ID', 'response.output.setlinfo.certno'],
      [
        nhsaExchange({ certno: person, fixmedinsCode: 'H31011500099' }),
        'FORBIDDEN_INSTITUTION',
        'request.fixmedins_code',
      ],
      [
        nhsaExchange({ certno: person, setlinfo: { psn_cash_pay: '5249.901' } }),
        'INVALID_MONEY',
        'response.output.setlinfo.psn_cash_pay',
      ],
      [
        nhsaExchange({ certno: person, setlinfo: { acct_pay: 'one thousand' } }),
        'INVALID_MONEY',
        'response.output.setlinfo.acct_pay',
      ],
      [nhsaExchange({ certno: person, medType: '9901' }), 'NHSA_MED_TYPE_UNKNOWN', 'response.output.setlinfo.med_type'],
      // Mapped, then refused by the claim contract like any claim: the personal share does not add up.
      [
        nhsaExchange({ certno: person, setlinfo: { psn_part_amt: '6249.80', medfee_sumamt: '18650.30' } }),
        'AMOUNT_IDENTITY',
        'amounts',
      ],
      [nhsaExchange({ certno: person, setlTime: '2999-01-01 10:00:00' }), 'SERVICE_DATE_IN_FUTURE', 'serviceDate'],
    ];
    const answer = await post(cases.map(([exchange]) => exchange));
    expect(answer.accepted).toBe(0);
    expect(answer.rejected.map((r) => [r.index, r.code, r.field])).toEqual(
      cases.map(([, code, field], index) => [index, code, field]),
    );

    const letters = (await run.tap.waitForCount(run.ingest.topics.claimsDlq, cases.length)).map((m) =>
      DeadLetterSchema.parse(JSON.parse(m.value!)),
    );
    const mine = letters.filter((l) => l.principal === 'ruijin' && cases.some(([, code]) => code === l.code));
    expect(mine.map((l) => l.code).sort()).toEqual(cases.map(([, code]) => code).sort());
    const dlq = JSON.stringify(run.tap.on(run.ingest.topics.claimsDlq));
    expect(dlq).not.toContain(person);
    expect(dlq).not.toContain(typo);
    expect(dlq).not.toContain('张三');
    const valid = mine.find((l) => l.code === 'NHSA_CALL_FAILED');
    expect(valid?.input).toBeNull();
    const masked = mine.find((l) => l.code === 'INVALID_PERSON_ID');
    expect((masked?.input as { personId: string }).personId).toBe('<18 chars masked>');
    const pseudonymised = mine.find((l) => l.code === 'NHSA_MED_TYPE_UNKNOWN');
    expect((pseudonymised?.input as { personId: string }).personId).toBe(pseudonymise(person, 'resident'));
    const refusedIds = cases
      .map(([e]) => (e as ReturnType<typeof nhsaExchange>).response.output.setlinfo?.setl_id)
      .filter((id): id is string => typeof id === 'string');
    expect(refusedIds).toHaveLength(cases.length - 1);
    expect(run.tap.on(run.ingest.topics.claims).filter((m) => refusedIds.some((id) => m.value!.includes(id)))).toEqual(
      [],
    );
  });
});

describe('his.nhsa.raw.v1', () => {
  it('takes exchanges written to Kafka like those posted, and dead-letters what is not one', async () => {
    const person = residentId(505);
    const good = [
      nhsaExchange({ infno: '2304', certno: person, amountsAs: 'number' }),
      nhsaExchange({ infno: '2207', certno: person, amountsAs: 'string' }),
    ];
    const cancel = nhsaExchange({
      infno: '2305',
      certno: person,
      cancels: good[0]!.response.output.setlinfo.setl_id as string,
    });
    const bad = nhsaExchange({ certno: person, medType: '31' });
    const dlqBefore = run.tap.on(run.ingest.topics.claimsDlq).length;
    await run.producer.send({
      topic: run.ingest.topics.nhsaRaw,
      acks: -1,
      messages: [
        ...[...good, cancel, bad].map((e) => ({ key: person, value: JSON.stringify(e) })),
        { value: '{"request": truncated' },
      ],
    });
    const ids = [...good, cancel].map((e) => e.response.output.setlinfo.setl_id as string);
    const events = await eventsFor(ids);
    expect(events.map((e) => e.type).sort()).toEqual(['reversal', 'settlement', 'settlement']);
    const letters = (await run.tap.waitForCount(run.ingest.topics.claimsDlq, dlqBefore + 2))
      .slice(dlqBefore)
      .map((m) => DeadLetterSchema.parse(JSON.parse(m.value!)));
    expect(letters.map((l) => [l.source, l.code, l.kafka?.topic]).sort()).toEqual(
      [
        ['kafka', 'NHSA_MED_TYPE_UNKNOWN', run.ingest.topics.nhsaRaw],
        ['kafka', 'UNPARSEABLE_MESSAGE', run.ingest.topics.nhsaRaw],
      ].sort(),
    );
    const everything = JSON.stringify([
      ...run.tap.on(run.ingest.topics.claims),
      ...run.tap.on(run.ingest.topics.claimsDlq),
    ]);
    expect(everything).not.toContain(person);
  });

  it('writes no identity number of any exchange into its log or metrics', async () => {
    const metrics = await (await fetch(`${run.ingest.url}/metrics`)).text();
    expect(metrics).toContain('ingest_claims_rejected_total{source="http",code="NHSA_CALL_FAILED"');
    for (const seq of [501, 502, 503, 504, 505]) {
      expect(run.ingest.service.output()).not.toContain(residentId(seq));
      expect(metrics).not.toContain(residentId(seq));
    }
  });
});
