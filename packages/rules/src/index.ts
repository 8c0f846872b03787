// @warnline/rules: the medical-assistance policy as versioned data and pure evaluation functions.
// No I/O, no clock, no environment; the CLI in ./cli does the I/O.
export {
  getRuleSet,
  listRuleSets,
  ruleSetNames,
  ruleSetRef,
  entryAt,
  validateRuleSet,
  createRuleSetRegistry,
  type RuleSetRegistry,
  type RuleSetSummary,
} from './registry.ts';
export { RuleSetDataSchema, applyRuleSetData, type RuleSetData, type RuleSetDataFile } from './rule-set-data.ts';
export {
  RuleSetSchema,
  CitedSchema,
  DatedSchema,
  FINDING_CODES,
  type RuleSet,
  type RuleSetInput,
  type Cited,
  type Dated,
  type DatedEntry,
  type AssistanceClass,
  type FindingCode,
} from './rule-set-schema.ts';
export {
  deriveClaim,
  claimAmountProblems,
  VISIT_CLASS,
  VISIT_CLASSES,
  type ClaimLike,
  type DerivedClaim,
  type VisitClass,
} from './claim.ts';
export { evaluateHousehold, evaluateValidatedHousehold } from './evaluate.ts';
export {
  evaluateFenHousehold,
  decideFarHousehold,
  yuanUsage,
  type FenUsage,
  type FenEvaluationInput,
} from './fen-path.ts';
export { evaluateCase, aggregateClaims, type Case, type Aggregated } from './case.ts';
export { estimateAssistance, pickClass, type AssistanceEstimate } from './assistance.ts';
export {
  DECISION_WARNING_CODES,
  EvaluationInputSchema,
  EvaluationHouseholdSchema,
  UsageSchema,
  type Decision,
  type DecisionWarning,
  type DecisionWarningCode,
  type ParameterRef,
  type YearlyParameterName,
  type EvaluationHousehold,
  type EvaluationInput,
  type Finding,
  type HouseholdInput,
  type Usage,
} from './decision.ts';
export { windowOf, inWindow, dayBefore, type Window } from './calendar.ts';
export {
  RulesError,
  UnknownRuleSetError,
  RuleSetNotEffectiveError,
  ClaimAmountsError,
  RULES_ERROR_CODES,
  type RulesErrorCode,
  type RulesProblem,
} from './errors.ts';
// One level ordering for the whole repo lives in @warnline/contracts; re-exported for the services.
export { LEVELS, levelRank, type Level } from '@warnline/contracts';
