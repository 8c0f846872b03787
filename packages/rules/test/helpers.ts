// Builders for test cases: valid resident ids, claims that satisfy the amount identity, households.
import { residentIdCheckChar, type Claim, type Household, type VisitType } from '@warnline/contracts';
import { evaluateCase, getRuleSet, type Decision, type Finding, type Usage } from '../src/index.ts';

/** A valid resident identity number (GB 11643) for sequence `n` (1..999). */
export function residentId(n: number): string {
  const first17 = `31011019800101${String(n).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

export const P1 = residentId(1);
export const P2 = residentId(2);
export const P3 = residentId(3);

export interface ClaimSpec {
  id?: string;
  person?: string;
  date?: string;
  visit?: VisitType;
  /** 个人实际负担 = personalAccount + cash; put it all in cash unless `personalAccount` is given. */
  burden?: string;
  personalAccount?: string;
  /** In-scope self-pay; defaults to the burden (everything borne is in scope). */
  selfPay?: string;
  /** Extra paid by the fund, to make the claim look real. */
  basicFund?: string;
  type?: 'settlement' | 'reversal';
  reverses?: string;
}

let counter = 0;

/** A claim whose derived personal burden and self-pay are exactly the ones asked for. */
export function claim(spec: ClaimSpec = {}): Claim {
  const burden = Number(spec.burden ?? '1000');
  const personalAccount = Number(spec.personalAccount ?? '0');
  const cash = burden - personalAccount;
  const basicFund = Number(spec.basicFund ?? '500');
  const selfPay = Number(spec.selfPay ?? spec.burden ?? '1000');
  // selfPay = policyScope − basicFund (other funds 0) → policyScope = selfPay + basicFund ≤ total.
  const total = basicFund + burden;
  const policyScope = selfPay + basicFund;
  const y = (v: number) => v.toFixed(2);
  const id = spec.id ?? `H31011000012-T-${String(++counter).padStart(6, '0')}`;
  const c: Claim = {
    claimId: id,
    type: spec.type ?? 'settlement',
    personId: spec.person ?? P1,
    institution: { code: 'H31011000012', level: 3 },
    visitType: spec.visit ?? 'inpatient',
    serviceDate: spec.date ?? '2024-03-15',
    settledAt: `${spec.date ?? '2024-03-15'}T18:00:00+08:00`,
    amounts: {
      total: y(total),
      policyScope: y(policyScope),
      basicFund: y(basicFund),
      criticalIllness: '0.00',
      supplementary: '0.00',
      assistance: '0.00',
      personalAccount: y(personalAccount),
      cash: y(cash),
    },
  };
  if (spec.reverses !== undefined) c.reversedClaimId = spec.reverses;
  return c;
}

/** The reversal of `original`: its own id, repeating date, visit type, institution and amounts. */
export function reversalOf(original: Claim, id = `${original.claimId}-R`): Claim {
  return {
    ...original,
    claimId: id,
    type: 'reversal',
    reversedClaimId: original.claimId,
    amounts: { ...original.amounts },
  };
}

export function household(over: Partial<Household> = {}): Household {
  return {
    householdId: 'HH310113000001',
    streetCode: '310113103',
    districtCode: '310113',
    members: [{ personId: P1 }],
    annualDisposableIncome: '60000.00',
    categories: [],
    assetTestPassed: true,
    version: 1,
    updatedAt: '2024-03-01T00:00:00+08:00',
    ...over,
  };
}

export function evalCase(ruleSetName: string, asOf: string, h: Household, claims: Claim[]): Decision {
  return evaluateCase(getRuleSet(ruleSetName, asOf), asOf, { household: h, claims });
}

export function codes(d: Decision): string[] {
  return d.findings.map((f) => f.code);
}

export function finding(d: Decision, code: string, input?: string): Finding | undefined {
  return d.findings.find((f) => f.code === code && (input === undefined || f.input === input));
}

export function usage(
  personId: string,
  month: string,
  personalBurden: string,
  selfPay = personalBurden,
  visitClass: Usage['visitClass'] = 'inpatient',
): Usage {
  return { personId, month, visitClass, personalBurden, selfPay };
}

/** The warnings about the claims, without those about the rule set's yearly figures. */
export function claimWarnings(d: Decision): Decision['warnings'] {
  return d.warnings.filter((w) => w.parameter === undefined);
}
