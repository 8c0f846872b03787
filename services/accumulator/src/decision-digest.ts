// What record-decision-2.lua compares to decide whether a decision must be published: a digest of the whole
// decision, amounts included. A decision that differs from the last published one in any field is
// published, so the last message of a household on household-status.v1 is its newest decision, not one
// whose burden, self-pay, ratio or assistance total went stale while the level stayed.
import { createHash } from 'node:crypto';
import type { Decision } from '@warnline/rules';

/** JSON with object keys sorted, so that the digest does not depend on the order fields were set in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** 16 base64url characters of SHA-256 over every field of the decision; never "~" (the retired marker). */
export function decisionDigest(decision: Decision): string {
  return createHash('sha256').update(canonical(decision)).digest('base64url').slice(0, 16);
}
