// How much ingest puts into one Kafka record and one produce request. The broker refuses a record batch
// over its max.message.bytes (1 MiB by default): such a refusal would come back on every retry, so a record
// is measured before it is written, and requests are cut well below the limit.
import type { Message } from 'kafkajs';

/** Largest record (key + value + headers) ingest writes; what it makes larger is rejected instead. */
export const MAX_RECORD_BYTES = 1_000_000;

/** Bytes per produce request: any number of small records, or one large one alone. */
export const MAX_REQUEST_BYTES = 512 * 1024;

/** Per-record overhead of the record batch format, counted so that many tiny records still split. */
const RECORD_OVERHEAD = 64;

const bytes = (v: string | Buffer | null | undefined) =>
  v === null || v === undefined ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length;

/** The size a message takes in a produce request. */
export function recordBytes(m: Message): number {
  let headers = 0;
  for (const [k, v] of Object.entries(m.headers ?? {})) headers += Buffer.byteLength(k) + bytes(v as string | Buffer);
  return bytes(m.key) + bytes(m.value) + headers + RECORD_OVERHEAD;
}
