// Stable codes of whole-request errors on the ingest HTTP API (as opposed to per-item rejections, which
// are in errors.ts). An HIS adapter keys its retry logic on these: only KAFKA_UNAVAILABLE and INTERNAL are
// worth a retry of the same request as it is. Neither says that nothing was stored: part of the request may
// be on Kafka already, and resending it is safe (same claim id and content: no effect downstream).

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
} as const;

export type RequestErrorCode = keyof typeof REQUEST_ERRORS;

/** The body of every non-202 answer of the ingest API. */
export interface RequestErrorBody {
  code: RequestErrorCode;
  message: string;
}
