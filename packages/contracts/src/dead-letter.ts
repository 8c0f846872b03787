// A dead letter written by ingest to claims.dlq.v1 / households.dlq.v1: why an input was refused, where it
// came from, and the input itself with every identity number pseudonymised (when valid) or masked (when
// not), so operators can fix a feed without the raw number ever leaving ingest.
import { z } from 'zod';
import { REJECTION_CODES, type RejectionCode } from './errors.ts';

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
