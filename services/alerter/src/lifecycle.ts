// The alert lifecycle as data: which transition starts from which state, in a street and in a triage desk.
// Pure (no I/O), so the unit tests cover it without Redis and the Lua script only has to check "is the alert
// in the required state".
import {
  ALERT_OUTCOMES,
  districtOfDesk,
  isTriageDesk,
  STREET_CODE,
  TRIAGE_OUTCOMES,
  type AlertAction,
  type AlertOutcome,
  type AlertState,
} from '@warnline/contracts';

interface Transition {
  from: AlertState;
  action: AlertAction;
}

/** A street alert: target state → the one state it starts from and the event it records. */
export const STREET_TRANSITIONS = {
  acknowledged: { from: 'new', action: 'acknowledged' },
  investigating: { from: 'acknowledged', action: 'investigating' },
  closed: { from: 'investigating', action: 'closed' },
} as const satisfies Record<string, Transition>;

/** A triage alert: assigned to a street, or closed with a triage outcome. */
export const TRIAGE_TRANSITIONS = {
  assigned: { from: 'triage', action: 'assigned' },
  closed: { from: 'triage', action: 'closed' },
} as const satisfies Record<string, Transition>;

/** Every state a person may ask an alert to move to. */
export const TRANSITION_TARGETS = ['acknowledged', 'investigating', 'closed', 'assigned'] as const;
export type TransitionTarget = (typeof TRANSITION_TARGETS)[number];

/** Whether an alert is in a street or in a triage desk: the code its id begins with says. */
export type Stage = 'street' | 'triage';

export function stageOf(streetOrDesk: string): Stage {
  return isTriageDesk(streetOrDesk) ? 'triage' : 'street';
}

const TABLES: Record<Stage, Partial<Record<TransitionTarget, Transition>>> = {
  street: STREET_TRANSITIONS,
  triage: TRIAGE_TRANSITIONS,
};

/** The transition to `to` at this stage, or null when the stage has none (acknowledging a triage alert). */
export function transitionOf(stage: Stage, to: TransitionTarget): Transition | null {
  return TABLES[stage][to] ?? null;
}

/** The outcomes a person may close with at each stage (`linked` is the system's). */
const STAGE_OUTCOMES: Record<Stage, readonly AlertOutcome[]> = {
  street: ALERT_OUTCOMES.filter((o) => o !== 'not-resident' && o !== 'linked'),
  triage: TRIAGE_OUTCOMES,
};

export interface TransitionRequest {
  to: TransitionTarget;
  outcome?: AlertOutcome | undefined;
  note?: string | undefined;
  /** `assigned`: the street the triage alert goes to. */
  street?: string | undefined;
  /** A `not-resident` close: the district whose triage desk takes the alert over. */
  district?: string | undefined;
}

export type RequestProblem = 'OUTCOME_REQUIRED' | 'OUTCOME_NOT_ALLOWED' | 'TARGET_REQUIRED' | 'TARGET_NOT_ALLOWED';

/**
 * Closing needs an outcome of the alert's stage and a note (what the visit or the triage found, 分类处置),
 * and only closing takes an outcome. Assigning names a street of the desk's district (any street for the
 * city's desk); a `not-resident` close names another district. A state check is the store's job: it must be
 * atomic with the change.
 */
export function checkRequest(request: TransitionRequest, streetOrDesk: string): RequestProblem | null {
  const stage = stageOf(streetOrDesk);
  const handOver = request.to === 'closed' && request.outcome === 'not-resident';
  if (request.to === 'closed') {
    if (request.outcome === undefined || !request.note?.trim()) return 'OUTCOME_REQUIRED';
    if (!STAGE_OUTCOMES[stage].includes(request.outcome)) return 'OUTCOME_NOT_ALLOWED';
  } else if (request.outcome !== undefined) return 'OUTCOME_NOT_ALLOWED';
  if (request.street !== undefined && request.to !== 'assigned') return 'TARGET_NOT_ALLOWED';
  if (request.district !== undefined && !handOver) return 'TARGET_NOT_ALLOWED';
  const deskDistrict = stage === 'triage' ? districtOfDesk(streetOrDesk) : null;
  if (request.to === 'assigned') {
    if (request.street === undefined) return 'TARGET_REQUIRED';
    if (!STREET_CODE.test(request.street) || isTriageDesk(request.street)) return 'TARGET_NOT_ALLOWED';
    if (deskDistrict !== null && !request.street.startsWith(deskDistrict)) return 'TARGET_NOT_ALLOWED';
  }
  if (handOver) {
    if (request.district === undefined) return 'TARGET_REQUIRED';
    if (request.district === deskDistrict) return 'TARGET_NOT_ALLOWED';
  }
  return null;
}

/** The transitions a person may make from a state (for the API's answers and the README). */
export function nextStates(state: AlertState): TransitionTarget[] {
  return TRANSITION_TARGETS.filter((to) =>
    (['street', 'triage'] as const).some((stage) => transitionOf(stage, to)?.from === state),
  );
}
