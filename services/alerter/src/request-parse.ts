// Parsing at the edge of the caseworker API: a path, query or body that does not match its schema is a
// 400 BAD_REQUEST naming each problem, never an exception deeper in.
import type { z } from 'zod';
import { alertApiError } from '@warnline/contracts';

export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw alertApiError('BAD_REQUEST', { message: problems });
  }
  return r.data;
}
