// Small valid inputs for tests: identity numbers with correct GB 11643 check digits, dates near today.
import { fenToYuan, residentIdCheckChar, shanghaiDate, type AlertJobData } from '@warnline/contracts';
import { uniqueId } from './names.ts';

/** A valid resident identity number for a sequence number (Shanghai Pudong address code, born 1960). */
export function residentId(seq: number): string {
  const first17 = `310115196001${String(1 + (seq % 28)).padStart(2, '0')}${String(seq % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** A Shanghai calendar date `daysAgo` days before now. */
export function daysAgo(days: number): string {
  return shanghaiDate(new Date(Date.now() - days * 86_400_000));
}

export function claim(
  overrides: Partial<{
    claimId: string;
    personId: string;
    cash: string;
    serviceDate: string;
    type: 'settlement' | 'reversal';
    reversedClaimId: string;
  }> = {},
) {
  const serviceDate = overrides.serviceDate ?? daysAgo(3);
  const cash = overrides.cash ?? '4000.00';
  const total = (Number(cash) * 100 + 600000 + 50000 + 100000) / 100;
  return {
    claimId:
      overrides.claimId ?? `H31011000012-${serviceDate.replaceAll('-', '')}-${Math.random().toString(36).slice(2, 8)}`,
    type: overrides.type ?? 'settlement',
    ...(overrides.reversedClaimId ? { reversedClaimId: overrides.reversedClaimId } : {}),
    personId: overrides.personId ?? residentId(1),
    institution: { code: 'H31011000012', level: 3 },
    visitType: 'inpatient',
    serviceDate,
    settledAt: `${serviceDate}T18:00:00+08:00`,
    amounts: {
      total: total.toFixed(2),
      policyScope: total.toFixed(2),
      basicFund: '6000.00',
      criticalIllness: '500.00',
      supplementary: '0.00',
      assistance: '0.00',
      personalAccount: '1000.00',
      cash,
    },
  };
}

export function household(
  overrides: Partial<{
    householdId: string;
    streetCode: string;
    districtCode: string;
    members: string[];
    income: string | null;
    version: number;
    categories: string[];
  }> = {},
) {
  return {
    householdId: overrides.householdId ?? 'HH310113000001',
    streetCode: overrides.streetCode ?? '310113103',
    districtCode: overrides.districtCode ?? '310113',
    members: (overrides.members ?? [residentId(1)]).map((personId) => ({ personId })),
    annualDisposableIncome: overrides.income === undefined ? '60000.00' : overrides.income,
    categories: overrides.categories ?? [],
    assetTestPassed: true,
    version: overrides.version ?? 1,
    updatedAt: '2024-03-01T00:00:00+08:00',
  };
}

/**
 * A claim's eight amounts (yuan strings) from its six parts in fen: the total is their sum and the policy
 * scope is given apart, so generated claims satisfy the amount identity however the parts are drawn.
 */
export function claimAmountsFromFen(parts: readonly number[], policyScopeFen: (totalFen: number) => number) {
  if (parts.length !== 6) throw new RangeError(`a claim's money has six parts, not ${parts.length}`);
  const [basicFund = 0, criticalIllness = 0, supplementary = 0, assistance = 0, personalAccount = 0, cash = 0] = parts;
  const total = parts.reduce((a, b) => a + b, 0);
  return {
    total: fenToYuan(total),
    policyScope: fenToYuan(policyScopeFen(total)),
    basicFund: fenToYuan(basicFund),
    criticalIllness: fenToYuan(criticalIllness),
    supplementary: fenToYuan(supplementary),
    assistance: fenToYuan(assistance),
    personalAccount: fenToYuan(personalAccount),
    cash: fenToYuan(cash),
  };
}

/**
 * An alert job as the accumulator publishes it, for a street: a warning near the expenditure-poverty line
 * unless the overrides say otherwise; the district is the street code's first six digits.
 */
export function alertJobData(overrides: Partial<AlertJobData> & { streetCode: string }): AlertJobData {
  return {
    householdId: uniqueId('HH'),
    districtCode: overrides.streetCode.slice(0, 6),
    level: 'warning',
    findings: [
      {
        code: 'APPROACHING_EXPENDITURE_POVERTY',
        citation: '沪府办规〔2022〕19号 二(三)',
        message: 'burden approaches the expenditure-poverty line',
      },
    ],
    burden12m: '26000.00',
    income: '60000.00',
    burdenRatio: '0.4333',
    window: { from: '2023-07', to: '2024-06' },
    assistance: { total: '1200.00', capRemaining: '78800.00' },
    ruleSet: 'shanghai@2023-07-01',
    raisedAt: new Date().toISOString(),
    ...overrides,
  };
}

/** The raw claim of docs/contracts.md's example (a 12,000 yuan inpatient settlement), as a HIS sends it. */
export const CONTRACT_EXAMPLE_CLAIM = {
  claimId: 'H31011000012-20240315-000123',
  type: 'settlement' as const,
  personId: '11010519491231002X',
  institution: { code: 'H31011000012', level: 3 },
  visitType: 'inpatient' as const,
  serviceDate: '2024-03-15',
  settledAt: '2024-03-16T10:20:30+08:00',
  amounts: {
    total: '12000.00',
    policyScope: '10000.00',
    basicFund: '6500.00',
    criticalIllness: '500.00',
    supplementary: '0.00',
    assistance: '0.00',
    personalAccount: '1000.00',
    cash: '4000.00',
  },
};
