// Per-claim derivation (docs/contracts.md "Derived per claim"): what the person bore, and the in-scope self-pay
// that is the base of assistance.
import type { Decimal } from 'decimal.js';
import { AMOUNT_FIELDS, MAX_AMOUNT_YUAN, type Amounts, type VisitType } from '@warnline/contracts';
import { ClaimAmountsError, type RulesProblem } from './errors.ts';
import { dec, maxDec, SIGNED_YUAN, YUAN, ZERO } from './money.ts';
import { monthOf } from './calendar.ts';

export type VisitClass = 'inpatient' | 'outpatient';
export const VISIT_CLASSES = ['inpatient', 'outpatient'] as const;

/**
 * Which assistance ratio a visit gets. 沪府办规〔2022〕19号 二(二)3 covers 住院及门急诊 costs at designated
 * institutions (定点医疗机构) and 二(二)4 sets one ratio for 门急诊 (outpatient and emergency) together, so
 * emergency is outpatient. Claims come from hospital HIS (institutions of level 1-3), so `pharmacy` is
 * dispensing at the institution (门诊配药), an outpatient cost; retail pharmacies (定点零售药店) are not
 * designated medical institutions and do not send claims here. 日医保发〔2022〕7号 附件2 二(三)4.2 likewise
 * splits assistance into inpatient and outpatient only.
 */
export const VISIT_CLASS: Readonly<Record<VisitType, VisitClass>> = {
  inpatient: 'inpatient',
  outpatient: 'outpatient',
  emergency: 'outpatient',
  pharmacy: 'outpatient',
};

/** The fields of a claim the rules read (raw claims and pseudonymised claim events both fit). */
export interface ClaimLike {
  type: 'settlement' | 'reversal';
  visitType: VisitType;
  serviceDate: string;
  amounts: Amounts;
}

export interface DerivedClaim {
  /** 个人实际负担 = personalAccount + cash (沪府办规〔2022〕19号 四, "由个人实际负担"). ≥ 0 for a settlement. */
  personalBurden: Decimal;
  /**
   * 自负医疗费用, the base of assistance = max(0, policyScope − basicFund − criticalIllness − supplementary −
   * assistance) (沪府办规〔2022〕19号 四, last paragraph). Always ≥ 0.
   */
  selfPay: Decimal;
  visitClass: VisitClass;
  /** `YYYY-MM` of serviceDate: the month the claim counts in. */
  month: string;
  /** +1 for a settlement, −1 for a reversal: the amounts are positive, the sign comes from the type. */
  sign: 1 | -1;
}

/**
 * Every way the amounts break the claim contract (money format, bound, amount identity, |policyScope| ≤
 * |total|). A settlement's amounts are never negative; a reversal's may have either sign.
 */
export function claimAmountProblems(amounts: Amounts, type: ClaimLike['type'] = 'settlement'): RulesProblem[] {
  const problems: RulesProblem[] = [];
  const pattern = type === 'settlement' ? YUAN : SIGNED_YUAN;
  for (const field of AMOUNT_FIELDS) {
    const value = amounts[field];
    if (typeof value !== 'string' || !pattern.test(value)) {
      problems.push({
        code: 'INVALID_MONEY',
        field: `amounts.${field}`,
        message:
          type === 'settlement'
            ? 'must be a non-negative yuan decimal string with at most 2 decimals'
            : 'must be a yuan decimal string with at most 2 decimals',
      });
    }
  }
  if (problems.length > 0) return problems;
  for (const field of AMOUNT_FIELDS) {
    if (dec(amounts[field]).abs().greaterThan(MAX_AMOUNT_YUAN)) {
      problems.push({
        code: 'AMOUNT_TOO_LARGE',
        field: `amounts.${field}`,
        message: `exceeds ${MAX_AMOUNT_YUAN} yuan`,
      });
    }
  }
  const a = (field: (typeof AMOUNT_FIELDS)[number]) => dec(amounts[field]);
  const parts = a('basicFund')
    .plus(a('criticalIllness'))
    .plus(a('supplementary'))
    .plus(a('assistance'))
    .plus(a('personalAccount'))
    .plus(a('cash'));
  if (!parts.equals(a('total'))) {
    problems.push({
      code: 'AMOUNT_IDENTITY',
      field: 'amounts',
      message: `the parts add up to ${parts.toFixed(2)}, total is ${a('total').toFixed(2)}`,
    });
  }
  if (a('policyScope').abs().greaterThan(a('total').abs())) {
    problems.push({
      code: 'POLICY_SCOPE_EXCEEDS_TOTAL',
      field: 'amounts.policyScope',
      message: 'policyScope must not exceed total',
    });
  }
  return problems;
}

/**
 * Derives the personal burden and in-scope self-pay of one claim.
 * @throws ClaimAmountsError (code AMOUNT_IDENTITY, POLICY_SCOPE_EXCEEDS_TOTAL, AMOUNT_TOO_LARGE or INVALID_MONEY) with every problem.
 */
export function deriveClaim(claim: ClaimLike): DerivedClaim {
  const problems = claimAmountProblems(claim.amounts, claim.type);
  if (problems.length > 0) throw new ClaimAmountsError(problems);
  const a = claim.amounts;
  const selfPay = dec(a.policyScope)
    .minus(a.basicFund)
    .minus(a.criticalIllness)
    .minus(a.supplementary)
    .minus(a.assistance);
  return {
    personalBurden: dec(a.personalAccount).plus(a.cash),
    selfPay: maxDec(ZERO, selfPay),
    visitClass: VISIT_CLASS[claim.visitType],
    month: monthOf(claim.serviceDate),
    sign: claim.type === 'reversal' ? -1 : 1,
  };
}
