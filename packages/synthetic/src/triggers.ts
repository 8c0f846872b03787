// Households built so that one known claim each raises an alert: for latency measurements (HTTP 202 → alert
// job) and end-to-end tests that must know which claim caused which alert. Each household has one member,
// an income of 20,000.00 yuan (per capita far below Shanghai's 84,834) and a passed assets test; its one
// claim has a personal burden of 12,000.00 yuan, 60% of the income: 四 kind 2 (≥ 40%) and kind 1 (monthly
// income after costs below the subsistence line) both hold, so the level is `action` under the Shanghai rules.
import { residentIdCheckChar } from '@warnline/contracts';
import type { RawClaimOut, RawHouseholdOut } from './feed.ts';

export interface TriggerOptions {
  /** Distinguishes runs: ids and identity numbers differ between tags, so runs never share a person. */
  tag: number;
  count: number;
  /** Service date of the trigger claims (YYYY-MM-DD): must be inside the evaluated window. */
  serviceDate: string;
  /** Street the households belong to (9 digits); its district is the first 6. Default 310115901. */
  streetCode?: string;
}

export interface Trigger {
  household: RawHouseholdOut;
  claim: RawClaimOut;
  /** The level the claim raises the household to. */
  level: 'action';
}

export function generateTriggers(options: TriggerOptions): Trigger[] {
  const streetCode = options.streetCode ?? '310115901';
  const districtCode = streetCode.slice(0, 6);
  const institution = `H${districtCode}30001`;
  const day = options.serviceDate.replaceAll('-', '');
  return Array.from({ length: options.count }, (_, i) => {
    // Birth dates walk from 1950-01-01 by the tag and index, so every (tag, i) has its own identity number.
    const n = options.tag * 100_000 + i;
    const birth = new Date(Date.UTC(1950, 0, 1) + (Math.floor(n / 1000) % 20_000) * 86_400_000)
      .toISOString()
      .slice(0, 10)
      .replaceAll('-', '');
    const first17 = `${districtCode}${birth}${String(n % 1000).padStart(3, '0')}`;
    const personId = first17 + residentIdCheckChar(first17);
    const householdId = `HHT${options.tag}x${String(i).padStart(6, '0')}`;
    const household: RawHouseholdOut = {
      householdId,
      streetCode,
      districtCode,
      members: [{ personId }],
      annualDisposableIncome: '20000.00',
      categories: [],
      assetTestPassed: true,
      version: 1,
      updatedAt: `${options.serviceDate}T00:00:00+08:00`,
    };
    const claim: RawClaimOut = {
      claimId: `${institution}-${day}-T${options.tag}x${String(i).padStart(6, '0')}`,
      type: 'settlement',
      personId,
      institution: { code: institution, level: 3 },
      visitType: 'inpatient',
      serviceDate: options.serviceDate,
      settledAt: `${options.serviceDate}T09:00:00+08:00`,
      amounts: {
        total: '30000.00',
        policyScope: '30000.00',
        basicFund: '18000.00',
        criticalIllness: '0.00',
        supplementary: '0.00',
        assistance: '0.00',
        personalAccount: '0.00',
        cash: '12000.00',
      },
    };
    return { household, claim, level: 'action' as const };
  });
}
