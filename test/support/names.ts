// Unique names per test, so tests share one broker and one Redis without seeing each other's data.
import { randomBytes } from 'node:crypto';

export function uniqueId(label = 't'): string {
  return `${label}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** A topic namespace ("t1a2b3c.") for TOPIC_NAMESPACE; every service then uses "<ns>claims.v1" etc. */
export function uniqueNamespace(): string {
  return `${uniqueId('t')}.`;
}
