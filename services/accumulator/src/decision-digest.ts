// What record-decision-2.lua compares to decide whether a decision must be published: a digest of the whole
// decision, amounts included. A decision that differs from the last published one in any field is
// published, so the last message of a household on household-status.v1 is its newest decision, not one
// whose burden, self-pay, ratio or assistance total went stale while the level stayed.
import { hash } from 'node:crypto';
import type { Decision } from '@warnline/rules';

/**
 * 16 base64url characters of SHA-256 over every field of the decision; never "~" (the retired marker).
 * Over the decision's JSON as is (V8 serialises it several times faster than a key-sorting walk): both of
 * packages/rules' paths build a decision with the same fields in the same order (its fen-path property test
 * compares the JSON text), so equal decisions give equal digests.
 */
export function decisionDigest(decision: Decision): string {
  return digestOfJson(JSON.stringify(decision));
}

/** The digest of a decision already serialised (the status message reuses the text). */
export function digestOfJson(json: string): string {
  // One-shot crypto.hash: the same SHA-256 (recorded digests stay valid) without a Hash object per decision.
  return hash('sha256', json, 'base64url').slice(0, 16);
}
