// The first steps of decoding a Kafka message value, the same for every consumer: an empty value and a
// value that is not JSON are refused with UNPARSEABLE_MESSAGE, anything else goes through the topic's zod
// schema, whose issues become rejections with their stable codes. A bad message is returned as rejections
// for the dead-letter topic, never thrown, so it cannot stop a partition.
import type { z } from 'zod';
import { toRejections, type Rejection } from '@warnline/contracts';

export type Decoded<T> = { ok: true; value: T } | { ok: false; rejections: Rejection[]; input: unknown };

const unparseable = (message: string): Decoded<never> => ({
  ok: false,
  rejections: [{ code: 'UNPARSEABLE_MESSAGE', field: '(item)', message }],
  input: undefined,
});

/**
 * Decodes a message value with `schema`. `fast`, when given, is tried first: a check that accepts only
 * values the schema certainly accepts (and returns what the schema would), for a hot topic; null falls
 * back to the schema.
 */
export function decodeMessage<S extends z.ZodType>(
  value: Buffer | null,
  schema: S,
  fast?: (json: unknown) => z.output<S> | null,
): Decoded<z.output<S>> {
  if (!value || value.length === 0) return unparseable('empty message');
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return unparseable('the message is not JSON');
  }
  const quick = fast?.(json);
  if (quick) return { ok: true, value: quick };
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, rejections: toRejections(parsed.error.issues, json), input: json };
}
