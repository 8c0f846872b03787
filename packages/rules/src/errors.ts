// One error hierarchy for the rules, part of warnline's coded errors (packages/contracts). Every error carries
// a stable code (callers key on it, it never changes meaning) and says whether a retry can help: nothing here
// can, the rules are pure.
import { CodedError, type CodedErrorTable } from '@warnline/contracts';

export const RULES_ERROR_CODES = {
  RULE_SET_UNKNOWN: { retriable: false, message: 'no rule set has that name' },
  RULE_SET_NOT_EFFECTIVE: { retriable: false, message: 'the rule set has no version in effect on that date' },
  RULE_SET_INVALID: { retriable: false, message: 'rule-set data does not satisfy its schema' },
  RULE_SET_DATA_INVALID: {
    retriable: false,
    message: 'a rule-set data file does not satisfy its schema or names an unknown rule set or class',
  },
  AMOUNT_IDENTITY: {
    retriable: false,
    message: 'basicFund + criticalIllness + supplementary + assistance + personalAccount + cash must equal total',
  },
  POLICY_SCOPE_EXCEEDS_TOTAL: { retriable: false, message: 'policyScope must not exceed total' },
  AMOUNT_TOO_LARGE: {
    retriable: false,
    message: 'an amount exceeds 10000000.00 yuan, the largest a claim may carry in one field',
  },
  INVALID_MONEY: { retriable: false, message: 'money must be a decimal string in yuan with at most 2 decimals' },
  INVALID_INPUT: { retriable: false, message: 'the evaluation input does not satisfy its schema' },
  PARAMETER_MISSING: { retriable: false, message: 'the rule set has no value of a dated parameter on that date' },
} as const satisfies CodedErrorTable;

export type RulesErrorCode = keyof typeof RULES_ERROR_CODES;

/** One reason, with the dotted path of the field it concerns (or `(input)`). */
export interface RulesProblem {
  code: RulesErrorCode;
  field: string;
  message: string;
}

/** Pure functions give the same answer on retry: never retriable. */
export class RulesError extends CodedError<RulesErrorCode> {
  readonly problems: readonly RulesProblem[];

  constructor(
    code: RulesErrorCode,
    message: string = RULES_ERROR_CODES[code].message,
    problems: readonly RulesProblem[] = [],
  ) {
    super(code, RULES_ERROR_CODES[code], { message });
    this.name = 'RulesError';
    this.problems = problems.length > 0 ? problems : [{ code, field: '(input)', message }];
  }
}

export class UnknownRuleSetError extends RulesError {
  constructor(
    readonly ruleSetName: string,
    known: readonly string[],
  ) {
    super('RULE_SET_UNKNOWN', `unknown rule set ${JSON.stringify(ruleSetName)}; known: ${known.join(', ')}`);
    this.name = 'UnknownRuleSetError';
  }
}

export class RuleSetNotEffectiveError extends RulesError {
  constructor(
    readonly ruleSetName: string,
    readonly asOf: string,
    earliest: string,
  ) {
    super(
      'RULE_SET_NOT_EFFECTIVE',
      `rule set ${ruleSetName} has no version in effect on ${asOf} (earliest: ${earliest})`,
    );
    this.name = 'RuleSetNotEffectiveError';
  }
}

/** A claim whose amounts break the identity of docs/contracts.md; `problems` lists every broken rule. */
export class ClaimAmountsError extends RulesError {
  constructor(problems: readonly RulesProblem[]) {
    const first = problems[0];
    super(first?.code ?? 'AMOUNT_IDENTITY', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
    this.name = 'ClaimAmountsError';
  }
}
