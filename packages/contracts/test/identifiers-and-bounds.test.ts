// Identity numbers hidden in identifiers and free text, the bound on household members, and streets that
// must lie in their district.
import { describe, expect, it } from 'vitest';
import {
  HouseholdEventSchema,
  MAX_HOUSEHOLD_MEMBERS,
  RawClaimSchema,
  RawHouseholdSchema,
  containsIdentityNumber,
  findIdentityNumbers,
  maskIdentityNumbersIn,
  residentIdCheckChar,
  toRejections,
} from '../src/index.ts';

const ID = '11010519491231002X';
const OLD = '110105491231002';
const idFor = (seq: number) => {
  const first17 = `31011519600101${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
};

const claim = (over: Record<string, unknown> = {}) => ({
  claimId: 'H31011000012-20240315-000123',
  type: 'settlement',
  personId: ID,
  institution: { code: 'H31011000012', level: 3 },
  visitType: 'inpatient',
  serviceDate: '2024-03-15',
  settledAt: '2024-03-16T10:20:30+08:00',
  amounts: {
    total: '100.00',
    policyScope: '100.00',
    basicFund: '50.00',
    criticalIllness: '0.00',
    supplementary: '0.00',
    assistance: '0.00',
    personalAccount: '0.00',
    cash: '50.00',
  },
  ...over,
});

const household = (over: Record<string, unknown> = {}) => ({
  householdId: 'HH310113000001',
  streetCode: '310113103',
  districtCode: '310113',
  members: [{ personId: ID }],
  annualDisposableIncome: '60000.00',
  categories: [],
  assetTestPassed: true,
  version: 1,
  updatedAt: '2024-03-01T00:00:00+08:00',
  ...over,
});

function codes(schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) return [];
  return toRejections((result.error as { issues: never[] }).issues, input).map((r) => `${r.code}@${r.field}`);
}

describe('findIdentityNumbers', () => {
  it('finds 18-character numbers anywhere in a digit run, with either case of X, and standalone 15-digit ones', () => {
    const text = `ID ${ID.toLowerCase()}; HH${ID}; glued 7${idFor(5)}3; old ${OLD}.`;
    const found = findIdentityNumbers(text).map((f) => [text.slice(f.start, f.end), f.form]);
    expect(found).toEqual([
      [ID.toLowerCase(), 'resident-18'],
      [ID, 'resident-18'],
      [idFor(5), 'resident-18'],
      [OLD, 'resident-15'],
    ]);
  });

  it('does not take claim ids, institution codes, wrong check digits or impossible dates for one', () => {
    expect(containsIdentityNumber('H31011000012-20240315-000123')).toBe(false);
    expect(containsIdentityNumber('HH310113000001')).toBe(false);
    expect(containsIdentityNumber('11010519491231002Y')).toBe(false);
    expect(containsIdentityNumber('110105194912310021')).toBe(false); // check digit should be X
    expect(containsIdentityNumber('110105194913310025')).toBe(false); // month 13
    expect(containsIdentityNumber('000000000000000000')).toBe(false);
  });

  it('maskIdentityNumbersIn masks everything it finds', () => {
    const text = `note: HH${ID} and old ${OLD}`;
    const masked = maskIdentityNumbersIn(text);
    expect(findIdentityNumbers(masked)).toEqual([]);
    expect(masked).toBe('note: HH<18 chars masked> and old <15 chars masked>');
  });
});

describe('identifiers that contain an identity number', () => {
  it('are rejected with IDENTITY_NUMBER_IN_ID in claimId, reversedClaimId, institution.code and householdId', () => {
    expect(codes(RawClaimSchema, claim({ claimId: `C-${ID}-1` }))).toEqual(['IDENTITY_NUMBER_IN_ID@claimId']);
    expect(
      codes(RawClaimSchema, claim({ type: 'reversal', claimId: 'R1', reversedClaimId: `C-${idFor(7)}-1` })),
    ).toEqual(['IDENTITY_NUMBER_IN_ID@reversedClaimId']);
    expect(codes(RawClaimSchema, claim({ institution: { code: `H${OLD}`, level: 3 } }))).toEqual([
      'IDENTITY_NUMBER_IN_ID@institution.code',
    ]);
    expect(codes(RawHouseholdSchema, household({ householdId: `HH${ID.toLowerCase()}` }))).toEqual([
      'IDENTITY_NUMBER_IN_ID@householdId',
    ]);
    expect(codes(RawClaimSchema, claim())).toEqual([]);
  });
});

describe('household members', () => {
  const members = (n: number) => Array.from({ length: n }, (_, i) => ({ personId: idFor(i) }));

  it(`takes up to ${MAX_HOUSEHOLD_MEMBERS} members and refuses more once, with TOO_MANY_MEMBERS`, () => {
    expect(MAX_HOUSEHOLD_MEMBERS).toBe(50);
    expect(codes(RawHouseholdSchema, household({ members: members(50) }))).toEqual([]);
    expect(codes(RawHouseholdSchema, household({ members: members(51) }))).toEqual(['TOO_MANY_MEMBERS@members']);
    // Thousands of broken members still give one reason, not one per member.
    expect(
      codes(RawHouseholdSchema, household({ members: Array.from({ length: 5000 }, () => ({ personId: 1 })) })),
    ).toEqual(['TOO_MANY_MEMBERS@members']);
  });

  it('the pseudonymised event has the same bound', () => {
    const event = {
      ...household({
        members: Array.from({ length: 51 }, (_, i) => ({ personId: `p_${i.toString(16).padStart(32, '0')}` })),
      }),
      receivedAt: '2024-03-01T00:00:00+08:00',
    };
    expect(codes(HouseholdEventSchema, event)).toEqual(['TOO_MANY_MEMBERS@members']);
  });
});

describe('street and district', () => {
  it('refuses a street whose code does not begin with the district code (STREET_OUTSIDE_DISTRICT)', () => {
    expect(codes(RawHouseholdSchema, household({ streetCode: '310113105', districtCode: '310115' }))).toEqual([
      'STREET_OUTSIDE_DISTRICT@streetCode',
    ]);
    expect(codes(RawHouseholdSchema, household({ streetCode: '310115105', districtCode: '310115' }))).toEqual([]);
  });
});
