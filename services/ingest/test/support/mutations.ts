// fast-check arbitraries for the fuzz tests: valid claims, and claims mutated in the ways feeds break them
// (missing fields, wrong JSON types, bad money, bad dates, bad identity numbers, stray fields, non-objects),
// and national-platform exchanges broken the same ways.
import fc from 'fast-check';
import { AMOUNT_FIELDS, residentIdCheckChar, shanghaiDate } from '@warnline/contracts';
import { claimAmountsFromFen, nhsaExchange, type Infno } from '@warnline/test';

export const validResidentId = fc
  .tuple(
    fc.integer({ min: 110000, max: 659999 }),
    fc.date({ min: new Date('1920-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([area, birth, seq]) => {
    const first17 = `${area}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
    return first17 + residentIdCheckChar(first17);
  });

/** A claim that passes every rule, with a service date in the last 300 days. */
export const validClaim = fc
  .record({
    personId: validResidentId,
    seq: fc.integer({ min: 0, max: 1_000_000 }),
    daysAgo: fc.integer({ min: 0, max: 300 }),
    level: fc.constantFrom(1, 2, 3),
    visitType: fc.constantFrom('inpatient', 'outpatient', 'emergency', 'pharmacy'),
    parts: fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 6, maxLength: 6 }),
  })
  .map(({ personId, seq, daysAgo, level, visitType, parts }) => {
    const serviceDate = shanghaiDate(new Date(Date.now() - daysAgo * 86_400_000));
    return {
      claimId: `H31011000012-${serviceDate.replaceAll('-', '')}-${seq}`,
      type: 'settlement',
      personId,
      institution: { code: 'H31011000012', level },
      visitType,
      serviceDate,
      settledAt: `${serviceDate}T18:00:00+08:00`,
      amounts: claimAmountsFromFen(parts, (total) => Math.floor(total / 2)),
    } as Record<string, unknown>;
  });

type Path = readonly string[];
const PATHS: Path[] = [
  ['claimId'],
  ['type'],
  ['reversedClaimId'],
  ['personId'],
  ['personIdType'],
  ['institution'],
  ['institution', 'code'],
  ['institution', 'level'],
  ['visitType'],
  ['serviceDate'],
  ['settledAt'],
  ['amounts'],
  ...AMOUNT_FIELDS.map((k) => ['amounts', k]),
  ['__proto__'],
  ['constructor'],
  ['extra'],
];

/** Values feeds really send where they should not: close misses as well as arbitrary JSON. */
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1.00',
    '1.234',
    '1e3',
    'NaN',
    '99999999999999.99',
    '9999999999999.99',
    '10000000.00',
    '10000000.01',
    '2024-02-30',
    '2999-01-01',
    '1999-01-01',
    '2024-03-16T10:20:30',
    'reversal',
    'settlement',
    'passport',
    'other',
    'dental',
    '11010519491231002x',
    '110105194912310021',
    'X'.repeat(100),
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  validResidentId,
  validResidentId.map((id) => `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`), // wrong check digit
  // Identity numbers inside identifiers: a claim number or institution code built from the patient's id.
  validResidentId.map((id) => `C-${id}-1`),
  validResidentId.map((id) => `H${id.toLowerCase()}`),
);

const HOUSEHOLD_PATHS = ['householdId', 'streetCode', 'districtCode', 'members', 'version', 'categories'] as const;

type Mutation = { kind: 'delete'; path: Path } | { kind: 'set'; path: Path; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...PATHS) }),
  fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...PATHS), value: nastyValue }),
);

function apply(claim: Record<string, unknown>, m: Mutation): Record<string, unknown> {
  const copy = structuredClone(claim);
  let target: Record<string, unknown> = copy;
  for (const key of m.path.slice(0, -1)) {
    const next = target[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) return copy;
    target = next as Record<string, unknown>;
  }
  const last = m.path[m.path.length - 1]!;
  if (m.kind === 'delete') delete target[last];
  else Object.defineProperty(target, last, { value: m.value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A claim with 0–4 mutations, or (1 in 20) not an object at all. */
export const mutatedClaim: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 19,
    arbitrary: fc.tuple(validClaim, fc.array(mutation, { maxLength: 4 })).map(([c, ms]) => ms.reduce(apply, c)),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** A household that passes every rule: 1–6 members, a street inside its district. */
export const validHousehold = fc
  .record({
    district: fc.constantFrom('310101', '310113', '310115', '371102'),
    street: fc.integer({ min: 0, max: 999 }),
    seq: fc.integer({ min: 0, max: 1_000_000 }),
    members: fc.uniqueArray(validResidentId, { minLength: 1, maxLength: 6 }),
    version: fc.nat({ max: 1000 }),
  })
  .map(
    ({ district, street, seq, members, version }) =>
      ({
        householdId: `HH${district}${String(seq).padStart(7, '0')}`,
        streetCode: `${district}${String(street).padStart(3, '0')}`,
        districtCode: district,
        members: members.map((personId) => ({ personId })),
        annualDisposableIncome: '60000.00',
        categories: [],
        assetTestPassed: true,
        version,
        updatedAt: '2024-03-01T00:00:00+08:00',
      }) as Record<string, unknown>,
  );

/** Households broken the ways registries break them, including the bounds: too many members, a street in another district, an identity number in the id. */
export const mutatedHousehold: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: validHousehold },
  {
    weight: 1,
    arbitrary: fc
      .tuple(validHousehold, fc.uniqueArray(validResidentId, { minLength: 45, maxLength: 80 }))
      .map(([h, ids]) => ({ ...h, members: ids.map((personId) => ({ personId })) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(validHousehold, fc.constantFrom('310101', '310115', '110105'))
      .map(([h, district]) => ({ ...h, districtCode: district })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(validHousehold, validResidentId, fc.constantFrom('HH', 'HH-', 'X'))
      .map(([h, id, prefix]) => ({ ...h, householdId: `${prefix}${id}` })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(validHousehold, fc.constantFrom(...HOUSEHOLD_PATHS), nastyValue)
      .map(([h, key, value]) => ({ ...h, [key]: value })),
  },
);

const SETLINFO_KEYS = [
  'setl_id',
  'psn_no',
  'psn_cert_type',
  'certno',
  'setl_time',
  'med_type',
  'medfee_sumamt',
  'inscp_scp_amt',
  'hifp_pay',
  'hifmi_pay',
  'hifob_pay',
  'maf_pay',
  'fund_pay_sumamt',
  'psn_part_amt',
  'acct_pay',
  'psn_cash_pay',
  'hosp_part_amt',
] as const;

const EXCHANGE_PATHS: Path[] = [
  ['request'],
  ['response'],
  ['request', 'infno'],
  ['request', 'fixmedins_code'],
  ['request', 'insuplc_admdvs'],
  ['request', 'input'],
  ['request', 'input', 'data'],
  ['request', 'input', 'data', 'setl_id'],
  ['response', 'infcode'],
  ['response', 'output'],
  ['response', 'output', 'setlinfo'],
  ...SETLINFO_KEYS.map((k) => ['response', 'output', 'setlinfo', k]),
  ['response', 'output', 'setlinfo', '__proto__'],
  ['extra'],
];

/** A national-platform exchange of any kind that maps to a valid claim, written with numbers or strings. */
export const validExchange = fc
  .record({
    certno: validResidentId,
    infno: fc.constantFrom('2207', '2304', '2208', '2305') as fc.Arbitrary<Infno>,
    medType: fc.constantFrom('11', '12', '13', '14', '21', '22', '41', '51', '52'),
    amountsAs: fc.constantFrom('number', 'string') as fc.Arbitrary<'number' | 'string'>,
    cashFen: fc.integer({ min: 0, max: 5_000_000 }),
    hospPartFen: fc.integer({ min: 0, max: 100_000 }),
    daysAgo: fc.integer({ min: 0, max: 300 }),
    seq: fc.integer({ min: 0, max: 1_000_000 }),
  })
  .map(({ daysAgo, seq, ...o }) => {
    const day = shanghaiDate(new Date(Date.now() - daysAgo * 86_400_000));
    return nhsaExchange({
      ...o,
      setlId: `310000G${day.replaceAll('-', '')}${String(seq).padStart(7, '0')}`,
      cancels: `310000G${day.replaceAll('-', '')}${String(seq + 1).padStart(7, '0')}`,
      setlTime: `${day} 08:15:00`,
    }) as unknown as Record<string, unknown>;
  });

const exchangeMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...EXCHANGE_PATHS) }),
  fc.record({
    kind: fc.constant('set' as const),
    path: fc.constantFrom(...EXCHANGE_PATHS),
    value: fc.oneof(nastyValue, fc.constantFrom('2401', '9901', '31', '02', '1.005', 0.1, -1, '2026-11-19T10:00:00')),
  }),
);

/** An exchange with 0–4 mutations, or (1 in 20) not an object at all. */
export const mutatedExchange: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 19,
    arbitrary: fc
      .tuple(validExchange, fc.array(exchangeMutation, { maxLength: 4 }))
      .map(([e, ms]) => ms.reduce(apply, e)),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
