// Dead letters of the accumulator on claims.dlq.v1 and households.dlq.v1, built and keyed like every dead
// letter (packages/contracts): the partition keeps moving, an operator sees why and where from.
import {
  buildDeadLetter,
  deadLetterRecord,
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

/**
 * What a dead letter keeps of a downstream record. claims.v1 carries pseudonyms only, but a poison message
 * may carry anything: what looks like an identity number is masked before it is copied anywhere.
 */
function copyMasked(record: Record<string, unknown>): { input: Record<string, unknown> | null; droppedFields: [] } {
  const text = maskIdentityNumbersIn(JSON.stringify(record));
  return {
    input: text.length <= MAX_INPUT_CHARS ? (JSON.parse(text) as Record<string, unknown>) : null,
    droppedFields: [],
  };
}

/** The dead letter of one message; `input` is the parsed value when it was JSON. */
export function deadLetter(
  kind: DeadLetter['kind'],
  message: KafkaMessage,
  origin: Origin,
  rejections: readonly Rejection[],
  input: unknown,
): BuiltDeadLetter {
  const letter = buildDeadLetter(
    kind,
    input === undefined ? { undecodableBytes: message.value?.length ?? 0 } : { json: input },
    rejections.length > 0 ? rejections : [rejection('UNPARSEABLE_MESSAGE')],
    {
      source: 'kafka',
      principal: null,
      receivedAt: new Date().toISOString(),
      kafka: { topic: origin.topic, partition: origin.partition, offset: message.offset },
    },
    copyMasked,
  );
  const copied = letter.input;
  const claimId = kind === 'claim' && copied && typeof copied.claimId === 'string' ? copied.claimId : null;
  // The original key (a person pseudonym or a household id): a replay lands on the partition it came from.
  const { key, value, headers } = deadLetterRecord(letter, message.key);
  return {
    message: { key, value, headers: { ...headers } },
    summary: {
      kind,
      code: letter.code,
      claimId: claimId !== null && CODE.test(claimId) ? claimId : null,
      institution: letter.institution,
      topic: origin.topic,
      partition: origin.partition,
      offset: message.offset,
    },
  };
}
