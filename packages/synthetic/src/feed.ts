// The synthetic HIS feed: households of 1–5 members with incomes around Shanghai's per-capita disposable
// income, a share of registered assistance targets, street and district codes of real shape, and claims
// with a heavy tail (many small outpatient bills, a few large inpatient stays), reversals and duplicate
// deliveries at small rates, service dates over the 12 months ending at `endDate`.
import { addMonths, residentIdCheckChar, type Category } from '@warnline/contracts';
import { Random } from './random.ts';

export interface FeedOptions {
  seed: number;
  households: number;
  /** Last service date of the feed (YYYY-MM-DD); claims spread over the 12 months ending with its month. */
  endDate: string;
  /** Mean claims per person per year. Default 12. */
  claimsPerPersonYear?: number;
  /** Share of claims followed by a reversal (冲销). Default 0.01. */
  reversalRate?: number;
  /** Share of messages delivered twice. Default 0.01. */
  duplicateRate?: number;
  /** Share of households that are registered assistance targets. Default 0.08. */
  assistanceTargetShare?: number;
  /** Streets to spread households over. Default 12. */
  streets?: number;
}

export interface RawClaimOut {
  claimId: string;
  type: 'settlement' | 'reversal';
  reversedClaimId?: string;
  personId: string;
  institution: { code: string; level: 1 | 2 | 3 };
  visitType: 'inpatient' | 'outpatient' | 'emergency' | 'pharmacy';
  serviceDate: string;
  settledAt: string;
  amounts: Record<
    | 'total'
    | 'policyScope'
    | 'basicFund'
    | 'criticalIllness'
    | 'supplementary'
    | 'assistance'
    | 'personalAccount'
    | 'cash',
    string
  >;
}

export interface RawHouseholdOut {
  householdId: string;
  streetCode: string;
  districtCode: string;
  members: { personId: string }[];
  annualDisposableIncome: string | null;
  categories: Category[];
  assetTestPassed: boolean | null;
  version: number;
  updatedAt: string;
}

/** Shanghai's per-capita disposable income of residents, 2023 (上海市统计局): 84,834 yuan. */
const SHANGHAI_PER_CAPITA_INCOME = 84_834;
/** Shanghai district codes (GB/T 2260). */
const DISTRICTS = [
  '310101',
  '310104',
  '310105',
  '310106',
  '310107',
  '310109',
  '310110',
  '310112',
  '310113',
  '310114',
  '310115',
  '310116',
  '310117',
  '310118',
  '310120',
  '310151',
];
const TARGET_CATEGORIES: Category[][] = [
  ['subsistence'],
  ['low-income'],
  ['low-income'],
  ['extreme-poverty'],
  ['orphan'],
  ['subsistence', 'child-in-distress'],
];

const fen = (n: number) => Math.max(0, Math.round(n));
const yuan = (f: number) => `${Math.trunc(f / 100)}.${String(f % 100).padStart(2, '0')}`;

function residentId(r: Random, districtCode: string, birthYear: number, serial: number): string {
  const month = String(r.int(1, 12)).padStart(2, '0');
  const day = String(r.int(1, 28)).padStart(2, '0');
  const first17 = `${districtCode}${birthYear}${month}${day}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** Splits a bill into the contract's amounts, in fen, so the identity holds exactly. */
function amounts(r: Random, totalFen: number, visitType: RawClaimOut['visitType'], level: 1 | 2 | 3) {
  const policyScope = fen(totalFen * (0.7 + 0.3 * r.next()));
  const poolRate = visitType === 'inpatient' ? 0.6 + 0.25 * r.next() : [0, 0.8, 0.75, 0.7][level]! * r.next();
  const basicFund = fen(policyScope * poolRate);
  const criticalIllness = visitType === 'inpatient' && totalFen > 5_000_000 ? fen((policyScope - basicFund) * 0.5) : 0;
  const rest = totalFen - basicFund - criticalIllness;
  const personalAccount = Math.min(rest, visitType === 'inpatient' ? 0 : fen(rest * r.next() * 0.5));
  const cash = rest - personalAccount;
  return {
    total: yuan(totalFen),
    policyScope: yuan(policyScope),
    basicFund: yuan(basicFund),
    criticalIllness: yuan(criticalIllness),
    supplementary: '0.00',
    assistance: '0.00',
    personalAccount: yuan(personalAccount),
    cash: yuan(cash),
  };
}

export interface Feed {
  households: RawHouseholdOut[];
  /** In delivery order: duplicates repeated, some reversals delivered before their original. */
  claims: RawClaimOut[];
}

export function* generateClaims(options: FeedOptions, households: RawHouseholdOut[]): Generator<RawClaimOut> {
  const r = new Random(options.seed ^ 0x5bd1e995);
  const perYear = options.claimsPerPersonYear ?? 12;
  const reversalRate = options.reversalRate ?? 0.01;
  const duplicateRate = options.duplicateRate ?? 0.01;
  const endMonth = options.endDate.slice(0, 7);
  let serial = 0;
  for (const hh of households) {
    for (const member of hh.members) {
      // Heavy tail per person: most people see a doctor a few times a year, a few very often.
      const count = Math.min(400, Math.round(r.logNormal(perYear * 0.6, 1.0)));
      for (let i = 0; i < count; i++) {
        const month = addMonths(endMonth, -r.int(0, 11));
        const lastDay = month === endMonth ? Number(options.endDate.slice(8, 10)) : 28;
        const serviceDate = `${month}-${String(r.int(1, lastDay)).padStart(2, '0')}`;
        const inpatient = r.chance(0.04);
        const visitType: RawClaimOut['visitType'] = inpatient
          ? 'inpatient'
          : r.pick(['outpatient', 'outpatient', 'outpatient', 'emergency', 'pharmacy']);
        const level = r.pick([1, 2, 3] as const);
        const totalFen = fen(inpatient ? r.logNormal(1_500_000, 1.0) : r.logNormal(25_000, 0.9)) + 1;
        const institution = `H${hh.districtCode}${String(level)}${String(r.int(0, 99)).padStart(4, '0')}`;
        const claimId = `${institution}-${serviceDate.replaceAll('-', '')}-${String(serial++).padStart(8, '0')}`;
        const settlement: RawClaimOut = {
          claimId,
          type: 'settlement',
          personId: member.personId,
          institution: { code: institution, level },
          visitType,
          serviceDate,
          settledAt: `${serviceDate}T${String(r.int(8, 21)).padStart(2, '0')}:${String(r.int(10, 59))}:00+08:00`,
          amounts: amounts(r, totalFen, visitType, level),
        };
        const reversal: RawClaimOut | null = r.chance(reversalRate)
          ? { ...settlement, claimId: `${claimId}-R`, type: 'reversal', reversedClaimId: claimId }
          : null;
        // A reversal sometimes overtakes its original on the way (different HIS queues).
        const order =
          reversal && r.chance(0.3) ? [reversal, settlement] : reversal ? [settlement, reversal] : [settlement];
        for (const c of order) {
          yield c;
          if (r.chance(duplicateRate)) yield c;
        }
      }
    }
  }
}

export function generateHouseholds(options: FeedOptions): RawHouseholdOut[] {
  const r = new Random(options.seed);
  const streetCount = options.streets ?? 12;
  const streets = Array.from({ length: streetCount }, (_, i) => {
    const district = DISTRICTS[i % DISTRICTS.length]!;
    return { district, street: `${district}${String(100 + Math.floor(i / DISTRICTS.length) + 1).padStart(3, '0')}` };
  });
  const targetShare = options.assistanceTargetShare ?? 0.08;
  let serial = 0;
  // An identity number has only 3 sequence digits, so two random people of one district can draw the same
  // number once there are tens of thousands of them: that would merge two people into one pseudonym (and one
  // person into two households). Redraw on a clash; small feeds never clash, so they stay as they were.
  const used = new Set<string>();
  const uniqueResidentId = (district: string) => {
    for (;;) {
      const id = residentId(r, district, r.int(1940, 2015), serial++);
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
  const households: RawHouseholdOut[] = [];
  for (let h = 0; h < options.households; h++) {
    const { district, street } = streets[h % streets.length]!;
    const size = r.pick([1, 2, 2, 3, 3, 3, 4, 5]);
    const target = r.chance(targetShare);
    // Targets' incomes are far below the average; others spread log-normally around it.
    const perCapita = target
      ? r.logNormal(SHANGHAI_PER_CAPITA_INCOME * 0.2, 0.3)
      : r.logNormal(SHANGHAI_PER_CAPITA_INCOME * 0.85, 0.5);
    const members = Array.from({ length: size }, () => ({ personId: uniqueResidentId(district) }));
    const incomeKnown = !r.chance(0.03);
    households.push({
      // The dash keeps street and number apart: 9 + 6 digits in one run can read as a first-generation
      // identity number, which ingest (and so the backfill) refuses in an identifier (IDENTITY_NUMBER_IN_ID).
      householdId: `HH${street}-${String(h).padStart(6, '0')}`,
      streetCode: street,
      districtCode: district,
      members,
      annualDisposableIncome: incomeKnown ? yuan(fen(perCapita * size * 100)) : null,
      categories: target ? r.pick(TARGET_CATEGORIES) : [],
      assetTestPassed: r.chance(0.05) ? null : !r.chance(0.1),
      version: 1,
      updatedAt: `${options.endDate.slice(0, 7)}-01T00:00:00+08:00`,
    });
  }
  return households;
}

export function generateFeed(options: FeedOptions): Feed {
  const households = generateHouseholds(options);
  return { households, claims: [...generateClaims(options, households)] };
}
