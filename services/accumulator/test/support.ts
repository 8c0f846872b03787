// Test support of the accumulator: ClaimEvents as ingest would put them on claims.v1 (pseudonyms, valid
// amounts), and an expected-totals oracle computed by packages/rules (Decimal, independent of the Lua path).
import { randomBytes } from 'node:crypto';
import { fenToYuan, yuanToFen, type ClaimEvent, type HouseholdEvent } from '@warnline/contracts';
import { aggregateClaims, type Usage } from '@warnline/rules';

export const pseudonymFor = () => `p_${randomBytes(16).toString('hex')}`;

let serial = 0;

export interface ClaimSpec {
  person: string;
  serviceDate: string;
  /** Personal burden in yuan (cash; personalAccount is 0 unless given). */
  cash?: string;
  personalAccount?: string;
  visitType?: ClaimEvent['visitType'];
  claimId?: string;
  institution?: string;
}

/** A settlement whose amounts satisfy the identity; self-pay = policyScope − basicFund = cash + personalAccount − 10. */
export function settlement(spec: ClaimSpec): ClaimEvent {
  const cash = yuanToFen(spec.cash ?? '500.00');
  const account = yuanToFen(spec.personalAccount ?? '0.00');
  const basic = 30_000;
  const total = basic + cash + account;
  const institution = spec.institution ?? 'H31011500012';
  return {
    claimId:
      spec.claimId ??
      `${institution}-${spec.serviceDate.replaceAll('-', '')}-${process.pid}${String(serial++).padStart(7, '0')}`,
    type: 'settlement',
    personId: spec.person,
    institution: { code: institution, level: 3 },
    visitType: spec.visitType ?? 'outpatient',
    serviceDate: spec.serviceDate,
    settledAt: `${spec.serviceDate}T18:00:00+08:00`,
    amounts: {
      total: fenToYuan(total),
      policyScope: fenToYuan(Math.max(0, total - 1000)),
      basicFund: fenToYuan(basic),
      criticalIllness: '0.00',
      supplementary: '0.00',
      assistance: '0.00',
      personalAccount: fenToYuan(account),
      cash: fenToYuan(cash),
    },
    receivedAt: new Date().toISOString(),
  };
}

/** The reversal of a settlement, repeating it as docs/contracts.md requires. */
export function reversalOf(original: ClaimEvent, claimId = `${original.claimId}-R`): ClaimEvent {
  return {
    ...original,
    claimId,
    type: 'reversal',
    reversedClaimId: original.claimId,
    receivedAt: new Date().toISOString(),
  };
}

export function registryHousehold(spec: {
  householdId: string;
  members: string[];
  income?: string | null;
  version?: number;
  streetCode?: string;
  categories?: HouseholdEvent['categories'];
}): HouseholdEvent {
  return {
    householdId: spec.householdId,
    streetCode: spec.streetCode ?? '310115101',
    districtCode: '310115',
    members: spec.members.map((personId) => ({ personId })),
    annualDisposableIncome: spec.income === undefined ? '60000.00' : spec.income,
    categories: spec.categories ?? [],
    assetTestPassed: true,
    version: spec.version ?? 1,
    updatedAt: '2024-01-01T00:00:00+08:00',
    receivedAt: new Date().toISOString(),
  };
}

export interface Totals {
  burdenFen: number;
  selfPayFen: number;
}

/**
 * What the claims must add up to per person, by packages/rules' own aggregation (dedup by claimId, first
 * version kept, reversals netting their original in either order): the oracle the Redis totals are checked
 * against, to the fen. Only claims with service month ≥ `floor` count.
 */
export function expectedTotals(claims: readonly ClaimEvent[], floor = '0000-00'): Map<string, Totals> {
  // receivedAt is when ingest saw it, not content (the accumulator ignores it too).
  const content = claims.filter((c) => c.serviceDate.slice(0, 7) >= floor).map(({ receivedAt: _r, ...c }) => c);
  const { usage } = aggregateClaims(content as unknown as Parameters<typeof aggregateClaims>[0], () => true);
  return sumUsage(usage);
}

function sumUsage(usage: readonly Usage[]): Map<string, Totals> {
  const totals = new Map<string, Totals>();
  for (const u of usage) {
    // aggregateClaims keys persons case-insensitively (identity numbers); pseudonyms are lower-case hex.
    const person = u.personId.toLowerCase();
    const t = totals.get(person) ?? { burdenFen: 0, selfPayFen: 0 };
    t.burdenFen += yuanToFen(u.personalBurden);
    t.selfPayFen += yuanToFen(u.selfPay);
    totals.set(person, t);
  }
  return totals;
}

/** Totals of a person hash (HGETALL) over every month kept. */
export function totalsOfHash(hash: Record<string, string>): Totals {
  const t = { burdenFen: 0, selfPayFen: 0 };
  for (const [field, value] of Object.entries(hash)) {
    if (!/^\d{4}-\d{2}:[io]$/.test(field)) continue;
    const [b, s] = value.split(':').map(Number) as [number, number];
    t.burdenFen += b;
    t.selfPayFen += s;
  }
  return t;
}

/** Fisher–Yates with a seed, so a failing order can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
