// The one dead letter of claims.dlq.v1 / households.dlq.v1, whichever service refused the input: why it was
// refused, where it came from, and the input itself with every identity number pseudonymised (ingest, when
// valid) or masked, so operators can fix a feed without the raw number ever travelling on. One builder and
// one record rule (key and headers) for every writer, so one consumer reads them all.
import { z } from 'zod';
import { REJECTION_CODES, type Rejection, type RejectionCode } from './errors.ts';
import { maskIdentityNumbersIn } from './resident-id.ts';

const rejectionCode = z.enum(Object.keys(REJECTION_CODES) as [RejectionCode, ...RejectionCode[]]);

export const DeadLetterRejectionSchema = z.object({ code: rejectionCode, field: z.string(), message: z.string() });

export const DeadLetterSchema = z.object({
  /** What the input was meant to be. */
  kind: z.enum(['claim', 'household']),
  /** The first reason, repeated at the top so a consumer can group by it. */
  code: rejectionCode,
  field: z.string(),
  message: z.string(),
  /** Every reason found. */
  rejections: z.array(DeadLetterRejectionSchema).min(1),
  source: z.enum(['http', 'kafka']),
  /** institution.code of a claim when it is a well-formed id, else null (households: null). */
  institution: z.string().nullable(),
  /** Name of the bearer token that sent it (http), null for Kafka input. Never the token itself. */
  principal: z.string().nullable(),
  receivedAt: z.string(),
  /** Where a Kafka input came from, for replay; null for http. */
  kafka: z.object({ topic: z.string(), partition: z.number(), offset: z.string() }).nullable(),
  /** JSON type of the input ("object", "array", "string", …), or "bytes" when it was not JSON at all. */
  inputType: z.string(),
  /** Size in bytes of a Kafka message value that could not be decoded (its bytes are not kept). */
  inputBytes: z.number().nullable(),
  /** The contract's fields of the input, identity numbers pseudonymised or masked; null when not an object. */
  input: z.record(z.string(), z.unknown()).nullable(),
  /** Names of fields outside the contract, which were dropped (masked when they look like identity numbers). */
  droppedFields: z.array(z.string()),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

/** Where a refused input was read, for replay. */
export interface KafkaPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** Where a refused input came from and who sent it. */
export interface DeadLetterOrigin {
  source: 'http' | 'kafka';
  /** Name of the bearer token that sent it (http); null on Kafka. Never the token itself. */
  principal: string | null;
  receivedAt: string;
  /** Position of a Kafka input; absent or null for http. */
  kafka?: KafkaPosition | null | undefined;
}

/** What was refused: parsed JSON, or a Kafka value that was not JSON (only its size is kept). */
export type RefusedInput = { json: unknown } | { undecodableBytes: number };

/**
 * What a writer copies of a refused JSON object: its own rule, since only ingest sees raw identity numbers
 * (and pseudonymises them) while a writer downstream only masks what looks like one.
 */
export type CopyInput = (record: Record<string, unknown>) => {
  input: Record<string, unknown> | null;
  droppedFields: string[];
};

/** Bounds on what a dead letter copies, so one absurd input cannot make an absurd Kafka message. */
const MAX_REJECTIONS = 20;
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON type of a value as a dead letter names it. */
export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function institutionOf(kind: DeadLetter['kind'], input: unknown): string | null {
  if (kind !== 'claim' || !isRecord(input) || !isRecord(input.institution)) return null;
  const code = input.institution.code;
  return typeof code === 'string' && SAFE_ID.test(code) ? maskIdentityNumbersIn(code) : null;
}

/** The dead letter of one refused input, the same shape whichever service refused it. */
export function buildDeadLetter(
  kind: DeadLetter['kind'],
  refused: RefusedInput,
  rejections: readonly Rejection[],
  origin: DeadLetterOrigin,
  copyInput: CopyInput,
): DeadLetter {
  const first = rejections[0] ?? {
    code: 'UNPROCESSABLE_ITEM' as const,
    field: '(item)',
    message: REJECTION_CODES.UNPROCESSABLE_ITEM,
  };
  const kept = rejections.length > 0 ? rejections.slice(0, MAX_REJECTIONS) : [first];
  const input = 'json' in refused ? refused.json : undefined;
  const copied = isRecord(input) ? copyInput(input) : { input: null, droppedFields: [] };
  return {
    kind,
    code: first.code,
    field: first.field,
    message: first.message,
    rejections: kept.map((r) => ({ code: r.code, field: r.field, message: r.message })),
    source: origin.source,
    institution: institutionOf(kind, input),
    principal: origin.principal,
    receivedAt: origin.receivedAt,
    kafka: origin.kafka ?? null,
    inputType: 'json' in refused ? jsonType(input) : 'bytes',
    inputBytes: 'undecodableBytes' in refused ? refused.undecodableBytes : null,
    input: copied.input,
    droppedFields: copied.droppedFields,
  };
}

/** The headers every dead letter carries, so a consumer can route and count without parsing the value. */
export interface DeadLetterHeaders {
  /** The first rejection code (the value's `code`). */
  code: string;
  kind: DeadLetter['kind'];
  source: DeadLetter['source'];
}

export interface DeadLetterRecord {
  key: Buffer | string | null;
  value: string;
  headers: DeadLetterHeaders;
}

/**
 * The Kafka record of a dead letter. `key` is the key of the refused message when it was read from a topic
 * whose keys are warnline's own (a person pseudonym or a household id), so a replay lands where the
 * original did; null otherwise: HTTP input has no key, and a key of an HIS feed is the sender's and may
 * hold an identity number.
 */
export function deadLetterRecord(letter: DeadLetter, key: Buffer | string | null): DeadLetterRecord {
  return {
    key,
    value: JSON.stringify(letter),
    headers: { code: letter.code, kind: letter.kind, source: letter.source },
  };
}
