// The alert lifecycle as data: which transition starts from which state. Pure (no I/O), so the unit tests
// cover it without Redis and the Lua script only has to check "is the alert in the required state".
import type { AlertAction, AlertOutcome, AlertState } from '@warnline/contracts';

/** A caseworker's transition: target state → the one state it starts from and the event it records. */
export const TRANSITIONS = {
  acknowledged: { from: 'new', action: 'acknowledged' },
  investigating: { from: 'acknowledged', action: 'investigating' },
  closed: { from: 'investigating', action: 'closed' },
} as const satisfies Record<Exclude<AlertState, 'new'>, { from: AlertState; action: AlertAction }>;

export type TransitionTarget = keyof typeof TRANSITIONS;

export interface TransitionRequest {
  to: TransitionTarget;
  outcome?: AlertOutcome | undefined;
  note?: string | undefined;
}

export type RequestProblem = 'OUTCOME_REQUIRED' | 'OUTCOME_NOT_ALLOWED';

/**
 * Closing needs an outcome and a note (what the visit found, 分类处置), and only closing takes an outcome.
 * A state check is the store's job: it must be atomic with the change.
 */
export function checkRequest(request: TransitionRequest): RequestProblem | null {
  if (request.to === 'closed') {
    return request.outcome === undefined || !request.note?.trim() ? 'OUTCOME_REQUIRED' : null;
  }
  return request.outcome === undefined ? null : 'OUTCOME_NOT_ALLOWED';
}

/** The transitions a caseworker may make from a state (for the API's answers and the README). */
export function nextStates(state: AlertState): TransitionTarget[] {
  return (Object.keys(TRANSITIONS) as TransitionTarget[]).filter((to) => TRANSITIONS[to].from === state);
}
