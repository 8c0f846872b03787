// Every coded error of warnline in one place: the whole-request errors of ingest's HTTP API, the errors of
// the alerter's caseworker API, the codes of records the accumulator parks, and the errors services raise in
// the middle of a request or a message. Each entry says which HTTP status answers it (API errors only),
// whether a retry of the same thing can help, and what it means. The code strings are a public interface
// (docs/contracts.md): new ones are added, none is renamed.

/** One stable code: its HTTP status when it is an API answer, whether retrying can help, what it means. */
export interface CodedErrorEntry {
  readonly status?: number;
  readonly retriable: boolean;
  readonly message: string;
}
export type CodedErrorTable = Readonly<Record<string, CodedErrorEntry>>;

/**
 * Whole-request errors of the ingest HTTP API (per-item rejections are in errors.ts). An HIS adapter keys its
 * retry logic on these: only KAFKA_UNAVAILABLE and INTERNAL are worth a retry of the same request as it is.
 * Neither says that nothing was stored: part of the request may be on Kafka already, and resending it is safe
 * (same claim id and content: no effect downstream).
 */
export const REQUEST_ERRORS = {
  UNAUTHENTICATED: { status: 401, retriable: false, message: 'a valid bearer token is required' },
  FORBIDDEN_ROLE: { status: 403, retriable: false, message: 'this token may not use this endpoint' },
  INVALID_JSON: { status: 400, retriable: false, message: 'the request body is not valid JSON' },
  BAD_REQUEST: { status: 400, retriable: false, message: 'the request is malformed' },
  BODY_TOO_LARGE: {
    status: 413,
    retriable: false,
    message: 'the request body is larger than the limit; send smaller batches',
  },
  BATCH_TOO_LARGE: { status: 413, retriable: false, message: 'too many items in one request; send smaller batches' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retriable: false, message: 'send application/json' },
  NOT_FOUND: { status: 404, retriable: false, message: 'no such endpoint' },
  PERSON_ID_REQUIRED: {
    status: 400,
    retriable: false,
    message:
      "X-Person-Id must carry the claim's personId as sent (a resident identity number, or with X-Person-Id-Type passport or other an id of [A-Za-z0-9._:-])",
  },
  CLAIM_NOT_FOUND: {
    status: 404,
    retriable: true,
    message:
      'no claim with that id for that person and your institutions has been processed (yet); a claim accepted moments ago may still be on its way',
  },
  STATUS_UNAVAILABLE: { status: 503, retriable: true, message: 'claim status cannot be read right now; retry later' },
  IDENTITY_STORE_UNAVAILABLE: {
    status: 503,
    retriable: true,
    message:
      'the identity store cannot be written or read right now (unreachable, or not configured); nothing was published, resend the whole request',
  },
  IDENTITY_NOT_FOUND: { status: 404, retriable: false, message: 'no identity is kept for any of these pseudonyms' },
  KAFKA_UNAVAILABLE: {
    status: 503,
    retriable: true,
    message: 'Kafka did not acknowledge every record; part of the request may be stored, resend the whole request',
  },
  INTERNAL: {
    status: 500,
    retriable: true,
    message: 'internal error; part of the request may be stored, resend the whole request',
  },
} as const satisfies CodedErrorTable;

export type RequestErrorCode = keyof typeof REQUEST_ERRORS;

/** Stable error codes of the alerter's HTTP API; a street-office system keys on `code`. */
export const ALERT_API_ERRORS = {
  UNAUTHENTICATED: { status: 401, retriable: false, message: 'a valid bearer token is required' },
  FORBIDDEN: { status: 403, retriable: false, message: 'this token may not see or change this resource' },
  BAD_REQUEST: { status: 400, retriable: false, message: 'the request is malformed' },
  NOT_FOUND: { status: 404, retriable: false, message: 'no such alert or endpoint' },
  INVALID_TRANSITION: {
    status: 409,
    retriable: false,
    message: 'the alert is not in a state this transition starts from',
  },
  OUTCOME_REQUIRED: { status: 400, retriable: false, message: 'closing needs an outcome and a note' },
  OUTCOME_NOT_ALLOWED: {
    status: 400,
    retriable: false,
    message: "only closing takes an outcome, and only an outcome of the alert's stage (triage or street)",
  },
  TARGET_REQUIRED: {
    status: 400,
    retriable: false,
    message: 'assigning needs a street, a not-resident hand-over a district',
  },
  TARGET_NOT_ALLOWED: {
    status: 400,
    retriable: false,
    message: 'the street or district named is not allowed here (outside the desk, or on another transition)',
  },
  PURPOSE_REQUIRED: {
    status: 400,
    retriable: false,
    message: 'a reveal needs a purpose: why the identity is needed (at least 5 characters)',
  },
  REVEAL_CLOSED_TOO_LONG: {
    status: 403,
    retriable: false,
    message: 'the alert was closed longer ago than identities may be revealed for',
  },
  REVEAL_RATE_LIMITED: {
    status: 429,
    retriable: true,
    message: 'too many reveals by this token in the current hour; retry after the Retry-After seconds',
  },
  REVEAL_NO_IDENTITY: {
    status: 404,
    retriable: false,
    message: 'no identity is known for the members of this alert',
  },
  REVEAL_UNAVAILABLE: {
    status: 503,
    retriable: true,
    message: 'the identity service cannot be reached right now; the request is recorded, retry later',
  },
  INTERNAL: {
    status: 500,
    retriable: true,
    message: 'internal error; the state is unchanged unless GET says otherwise',
  },
} as const satisfies CodedErrorTable;
export type AlertApiErrorCode = keyof typeof ALERT_API_ERRORS;

/** Why the accumulator parked a record (header `parked.code` of accumulator.parked.v1). */
export const PARK_ERRORS = {
  /** Redis answered a command of the record with an error (a key of the wrong type, a script error). */
  REDIS_COMMAND_REFUSED: { retriable: false, message: 'Redis refused a command of this record' },
  /** Processing the record threw (a defect, or state it does not expect). */
  PROCESSING_FAILED: { retriable: false, message: 'processing this record threw' },
} as const satisfies CodedErrorTable;
export type ParkCode = keyof typeof PARK_ERRORS;

/**
 * Errors a service raises in the middle of a request, a message or a job, never answered as such: they reach
 * a log, a failed job or a parked record, and `retriable` decides whether the work is tried again.
 */
export const SERVICE_ERRORS = {
  SCRIPT_STATUS_UNKNOWN: {
    retriable: false,
    message: 'a Lua script answered with a status its caller does not know (script and caller out of step)',
  },
  PIPELINE_REPLY_MISSING: { retriable: false, message: 'a Redis pipeline answered fewer replies than it was sent' },
  ALERT_CONTENDED: {
    retriable: true,
    message: 'the open alert of the household kept changing while the job ran; the job will be retried',
  },
  NOT_AN_ALERT_ID: { retriable: false, message: 'the value is not an alert id (it names no street)' },
  EVALUATION_CONTENDED: {
    retriable: true,
    message: 'households kept being re-evaluated concurrently by other instances; the batch is retried',
  },
  IDENTITY_UNREADABLE: {
    retriable: false,
    message: 'a kept identity failed its authentication or names a key id that is not configured',
  },
  PUBLISH_FAILED: {
    retriable: true,
    message: 'Kafka did not acknowledge a write in time, or refused it; part of it may be stored',
  },
} as const satisfies CodedErrorTable;
export type ServiceErrorCode = keyof typeof SERVICE_ERRORS;

/**
 * Errors that stop `warnline backfill` as a whole (exit code 2), printed as `warnline: <CODE>: <message>`. A
 * refused record never stops it: it goes to the rejects file with its rejection code.
 */
export const BACKFILL_ERRORS = {
  BACKFILL_USAGE: { retriable: false, message: 'the command line is not a valid backfill invocation' },
  INPUT_UNREADABLE: { retriable: false, message: 'an input file or directory cannot be read' },
  MAPPING_INVALID: { retriable: false, message: 'the CSV column mapping is not valid JSON of the mapping schema' },
  CSV_HEADER_INVALID: {
    retriable: false,
    message: 'the CSV header lacks a column the mapping names, or names a column twice',
  },
  CHECKPOINT_MISMATCH: {
    retriable: false,
    message:
      'the checkpoint belongs to another load (other files, sizes or kind); pass --fresh or another --checkpoint',
  },
} as const satisfies CodedErrorTable;
export type BackfillErrorCode = keyof typeof BACKFILL_ERRORS;

export interface CodedErrorOptions {
  /** Replaces the entry's message (more precise; never echoing input that may hold an identity number). */
  message?: string | undefined;
  /** Fields an API answer carries beside code, message and retriable (e.g. the allowed next states). */
  details?: Readonly<Record<string, unknown>> | undefined;
  cause?: unknown;
}

/** An error with a stable code, the HTTP status that answers it (API errors) and whether a retry can help. */
export class CodedError<C extends string = string> extends Error {
  readonly code: C;
  readonly status: number | undefined;
  readonly retriable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: C, entry: CodedErrorEntry, options: CodedErrorOptions = {}) {
    super(options.message ?? entry.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodedError';
    this.code = code;
    this.status = entry.status;
    this.retriable = entry.retriable;
    this.details = options.details ?? {};
  }
}

/** The factory of one table's errors: `requestError('BATCH_TOO_LARGE')`. */
export function codedErrors<T extends CodedErrorTable>(table: T) {
  return <C extends keyof T & string>(code: C, options?: CodedErrorOptions): CodedError<C> =>
    new CodedError(code, table[code]!, options);
}

export const requestError = codedErrors(REQUEST_ERRORS);
export const alertApiError = codedErrors(ALERT_API_ERRORS);
export const serviceError = codedErrors(SERVICE_ERRORS);
export const backfillError = codedErrors(BACKFILL_ERRORS);

export function isCodedError(err: unknown): err is CodedError {
  return err instanceof CodedError;
}

/** The body of every error answer of warnline's HTTP APIs. */
export interface ErrorBody {
  code: string;
  message: string;
  retriable: boolean;
  [detail: string]: unknown;
}

export function errorBody(err: CodedError): ErrorBody {
  return { code: err.code, message: err.message, retriable: err.retriable, ...err.details };
}
