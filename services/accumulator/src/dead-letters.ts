// Dead letters of the accumulator, in the DeadLetter shape ingest writes (packages/contracts), on
// claims.dlq.v1 and households.dlq.v1: the partition keeps moving, an operator sees why and where from.
import {
  maskIdentityNumbersIn,
  REJECTION_CODES,
  type DeadLetter,
  type Rejection,
  type RejectionCode,
} from '@warnline/contracts';
import type { KafkaMessage, Message } from 'kafkajs';

/** A dead letter copies at most this much of the input (one absurd message must not make an absurd one). */
const MAX_INPUT_CHARS = 16_384;

export interface Origin {
  topic: string;
  partition: number;
}

/** What the log line and the metrics say about a dead letter: never an identity number, never the raw value. */
export interface DeadLetterSummary {
  kind: DeadLetter['kind'];
  code: string;
  /** The claim id when the input had a well-formed one, else null. */
  claimId: string | null;
  /** The submitting institution's code when the input had a well-formed one, else null. */
  institution: string | null;
  topic: string;
  partition: number;
  offset: string;
}

export interface BuiltDeadLetter {
  message: Message;
  summary: DeadLetterSummary;
}

/** Claim ids and institution codes are short codes of the HIS; anything else is not copied to a log. */
const CODE = /^[A-Za-z0-9._:-]{1,64}$/;

export function rejection(code: RejectionCode, field = '(item)', message: string = REJECTION_CODES[code]): Rejection {
  return { code, field, message };
}

/** The dead letter of one message; `input` is the parsed value when it was JSON. */
export function deadLetter(
  kind: DeadLetter['kind'],
  message: KafkaMessage,
  origin: Origin,
  rejections: readonly Rejection[],
  input: unknown,
): BuiltDeadLetter {
  const first = rejections[0] ?? rejection('UNPARSEABLE_MESSAGE');
  let copied: Record<string, unknown> | null = null;
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    // claims.v1 carries pseudonyms only, but a poison message may carry anything: mask what looks like an
    // identity number before it is copied anywhere.
    const text = maskIdentityNumbersIn(JSON.stringify(input));
    copied = text.length <= MAX_INPUT_CHARS ? (JSON.parse(text) as Record<string, unknown>) : null;
  }
  const institution =
    copied && typeof copied.institution === 'object' && copied.institution !== null
      ? (copied.institution as { code?: unknown }).code
      : null;
  const letter: DeadLetter = {
    kind,
    code: first.code,
    field: first.field,
    message: first.message,
    rejections: rejections.length > 0 ? [...rejections] : [first],
    source: 'kafka',
    institution: typeof institution === 'string' && CODE.test(institution) ? institution : null,
    principal: null,
    receivedAt: new Date().toISOString(),
    kafka: { topic: origin.topic, partition: origin.partition, offset: message.offset },
    inputType: input === undefined ? 'bytes' : Array.isArray(input) ? 'array' : input === null ? 'null' : typeof input,
    inputBytes: input === undefined ? (message.value?.length ?? 0) : null,
    input: copied,
    droppedFields: [],
  };
  const claimId = kind === 'claim' && copied && typeof copied.claimId === 'string' ? copied.claimId : null;
  return {
    message: { key: message.key, value: JSON.stringify(letter), headers: { code: first.code } },
    summary: {
      kind,
      code: first.code,
      claimId: claimId !== null && CODE.test(claimId) ? claimId : null,
      institution: letter.institution,
      topic: origin.topic,
      partition: origin.partition,
      offset: message.offset,
    },
  };
}
