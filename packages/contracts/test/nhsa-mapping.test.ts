// The mapping of national-platform settlement exchanges to claims: every kind of exchange, amounts as
// numbers and as strings, and every reason an exchange cannot be a claim.
import { describe, expect, it } from 'vitest';
import { mapNhsaExchange, nhsaAmountToFen, RawClaimSchema, toRejections, visitTypeOfMedType } from '../src/index.ts';
import { residentId, nhsaExchange } from '@warnline/test';

const options = { institutionLevel: (code: string) => (code === 'H31011000012' ? (3 as const) : undefined) };

describe('mapNhsaExchange', () => {
  it('maps a 2304 inpatient settlement with string amounts to a claim that passes the claim contract', () => {
    const exchange = nhsaExchange({
      infno: '2304',
      setlId: '310000G20261119000001',
      setlTime: '2026-11-19 23:59:58',
      certno: residentId(7),
      insuplcAdmdvs: '310113',
    });
    const mapped = mapNhsaExchange(exchange, options);
    expect(mapped).toEqual({
      ok: true,
      claim: {
        claimId: '310000G20261119000001',
        type: 'settlement',
        personId: residentId(7),
        institution: { code: 'H31011000012', level: 3 },
        visitType: 'inpatient',
        serviceDate: '2026-11-19',
        settledAt: '2026-11-19T23:59:58+08:00',
        amounts: {
          total: '18650.40',
          policyScope: '17100.40',
          basicFund: '9800.00',
          criticalIllness: '2100.50',
          supplementary: '0.00',
          assistance: '500.00',
          personalAccount: '1000.00',
          cash: '5249.90',
        },
        hospitalShare: '0.00',
        insuredAreaCode: '310113',
      },
    });
    expect(RawClaimSchema.safeParse(mapped.claim).success).toBe(true);
  });

  it('reads amounts logged as JSON numbers exactly, and puts the other fund lines and the hospital share where the identity holds', () => {
    const exchange = nhsaExchange({
      infno: '2207',
      amountsAs: 'number',
      hospPartFen: 1234,
      setlinfo: { cvlserv_pay: 100.1, hifes_pay: 20, fund_pay_sumamt: 12520.6 },
    });
    // The fixture's medfee_sumamt includes the fund total before the extra lines: raise it by them.
    exchange.response.output.setlinfo.medfee_sumamt = 18782.84;
    const mapped = mapNhsaExchange(exchange, options);
    expect(mapped.ok).toBe(true);
    const claim = mapped.claim as { visitType: string; amounts: Record<string, string>; hospitalShare: string };
    expect(claim.visitType).toBe('outpatient');
    expect(claim.amounts.supplementary).toBe('120.10');
    expect(claim.amounts.total).toBe('18770.50');
    expect(claim.hospitalShare).toBe('12.34');
    expect(RawClaimSchema.safeParse(mapped.claim).success).toBe(true);
  });

  it('maps 2208 and 2305 cancellations to reversals naming the cancelled settlement, negative amounts included', () => {
    for (const infno of ['2208', '2305'] as const) {
      const exchange = nhsaExchange({ infno, setlId: `310000G-${infno}`, cancels: '310000G-original', sign: -1 });
      const mapped = mapNhsaExchange(exchange, options);
      expect(mapped.ok).toBe(true);
      expect(mapped.claim).toMatchObject({
        claimId: `310000G-${infno}`,
        type: 'reversal',
        reversedClaimId: '310000G-original',
        amounts: { total: '-18650.40', cash: '-5249.90' },
      });
      expect(RawClaimSchema.safeParse(mapped.claim).success).toBe(true);
    }
  });

  it('takes med_type 1x, 13, 2x, 41, 51, 52 and nothing else', () => {
    expect(['11', '13', '14', '21', '22', '41', '51', '52'].map(visitTypeOfMedType)).toEqual([
      'outpatient',
      'emergency',
      'outpatient',
      'inpatient',
      'inpatient',
      'pharmacy',
      'outpatient',
      'inpatient',
    ]);
    for (const medType of ['31', '9901', '140104', '1', '']) expect(visitTypeOfMedType(medType)).toBeUndefined();
    const mapped = mapNhsaExchange(nhsaExchange({ medType: '9901' }), options);
    expect(mapped.ok).toBe(false);
    expect(!mapped.ok && mapped.rejections[0]).toMatchObject({
      code: 'NHSA_MED_TYPE_UNKNOWN',
      field: 'response.output.setlinfo.med_type',
      message: expect.stringContaining('(9901)'),
    });
  });

  it('gives a person without a resident identity card the platform person number as an opaque id', () => {
    const mapped = mapNhsaExchange(
      nhsaExchange({ certType: '02', certno: 'E12345678', psnNo: '31000000000000123456' }),
      options,
    );
    expect(mapped.claim).toMatchObject({ personIdType: 'other', personId: 'nhsa:31000000000000123456' });
  });

  it.each([
    ['a failed call', { infcode: -1 }, 'NHSA_CALL_FAILED', 'response.infcode'],
    ['an unknown infno', { infno: '2401' }, 'NHSA_UNKNOWN_INFNO', 'request.infno'],
    [
      'a broken platform identity',
      { setlinfo: { hosp_part_amt: '0.01' } },
      'NHSA_AMOUNT_IDENTITY',
      'response.output.setlinfo.medfee_sumamt',
    ],
    [
      'an invalid certno check digit',
      { certno: `${residentId(3).slice(0, 17)}${residentId(3)[17] === '0' ? '1' : '0'}` },
      'INVALID_PERSON_ID',
      'response.output.setlinfo.certno',
    ],
    [
      'three decimals',
      { setlinfo: { psn_cash_pay: '5249.905' } },
      'INVALID_MONEY',
      'response.output.setlinfo.psn_cash_pay',
    ],
    [
      'a float that is not 2 decimals',
      { amountsAs: 'number', setlinfo: { acct_pay: 0.1 + 0.2 } },
      'INVALID_MONEY',
      'response.output.setlinfo.acct_pay',
    ],
    [
      'an amount that is not a number',
      { setlinfo: { hifp_pay: true } },
      'INVALID_MONEY',
      'response.output.setlinfo.hifp_pay',
    ],
    [
      'an unknown institution level',
      { fixmedinsCode: 'H31011500099' },
      'INSTITUTION_LEVEL_UNKNOWN',
      'request.fixmedins_code',
    ],
    [
      'a malformed setl_time',
      { setlTime: '2026/11/19 10:00:00' },
      'INVALID_INSTANT',
      'response.output.setlinfo.setl_time',
    ],
  ] as const)('refuses %s', (_name, opts, code, field) => {
    const mapped = mapNhsaExchange(nhsaExchange(opts as never), options);
    expect(mapped.ok).toBe(false);
    expect(!mapped.ok && mapped.rejections.map((r) => [r.code, r.field])).toContainEqual([code, field]);
  });

  it('refuses a response without setlinfo and a cancellation that names no settlement', () => {
    const missing = nhsaExchange();
    missing.response.output = { setldetail: [] } as never;
    expect(mapNhsaExchange(missing, options)).toMatchObject({
      ok: false,
      rejections: [{ code: 'NHSA_SETTLEMENT_MISSING', field: 'response.output.setlinfo' }],
    });
    const cancellation = nhsaExchange({ infno: '2208' });
    cancellation.request.input = { data: {} } as never;
    const mapped = mapNhsaExchange(cancellation, options);
    expect(!mapped.ok && mapped.rejections.map((r) => r.field)).toEqual(['request.input.data.setl_id']);
  });

  it('never quotes an identity number in a rejection message', () => {
    const id = residentId(9);
    const mapped = mapNhsaExchange(nhsaExchange({ certno: id, infno: id as never }), options);
    expect(JSON.stringify(mapped.ok ? [] : mapped.rejections)).not.toContain(id);
  });

  it('reads amounts exactly or not at all', () => {
    expect(nhsaAmountToFen(12.3)).toBe(1230);
    expect(nhsaAmountToFen('-0.05')).toBe(-5);
    expect(nhsaAmountToFen(1e21)).toBeNull();
    expect(nhsaAmountToFen(Number.NaN)).toBeNull();
    expect(nhsaAmountToFen(' 1.00')).toBeNull();
  });
});

describe('the claim fields added for exchanges', () => {
  const mapped = mapNhsaExchange(nhsaExchange({ hospPartFen: 1000 }), options);
  const claim = mapped.claim as Record<string, unknown>;
  const codes = (value: unknown) => {
    const parsed = RawClaimSchema.safeParse(value);
    return parsed.success ? [] : toRejections(parsed.error.issues, value).map((r) => [r.code, r.field]);
  };

  it('refuses a settlement whose hospital share is negative or too large, and takes a reversal of either sign', () => {
    expect(codes(claim)).toEqual([]);
    expect(codes({ ...claim, hospitalShare: '-10.00' })).toEqual([['INVALID_MONEY', 'hospitalShare']]);
    expect(codes({ ...claim, hospitalShare: '10000000.01' })).toEqual([['AMOUNT_TOO_LARGE', 'hospitalShare']]);
    expect(codes({ ...claim, hospitalShare: '1.005' })).toEqual([['INVALID_MONEY', 'hospitalShare']]);
    const reversal = mapNhsaExchange(
      nhsaExchange({ infno: '2305', cancels: 'S-1', sign: -1, hospPartFen: 1000 }),
      options,
    );
    expect(codes(reversal.claim)).toEqual([]);
  });

  it('takes a 6-digit insured area code and nothing else', () => {
    expect(codes({ ...claim, insuredAreaCode: '31011' })).toEqual([['INVALID_ID', 'insuredAreaCode']]);
    expect(codes({ ...claim, insuredAreaCode: '31011X' })).toEqual([['INVALID_ID', 'insuredAreaCode']]);
  });
});
