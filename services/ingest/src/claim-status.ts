// GET /v1/claims/{claimId}: what became of a claim the institution sent. The accumulator keeps one dedup
// record per claim in the person's claims hash (keys and record layout in @warnline/contracts); this module
// locates the person by the identity number the caller names (pseudonymised at once, never logged or kept)
// and answers from that record, only for the caller's own institutions. A claim of another institution
// answers exactly as a claim never seen: 404, so a token learns nothing about other institutions' claims.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import {
  claimStatusOf,
  institutionTag,
  parseClaimRecord,
  personStateKeys,
  residentIdProblem,
  type ClaimStatusBody,
  type RequestErrorCode,
} from '@warnline/contracts';
import type { Principal } from './auth.ts';
import type { PersonIdType, Pseudonymise } from './pseudonym.ts';

export interface ClaimStatusDeps {
  /** Client of the accumulator's Redis; null when not configured (the route then answers 503). */
  redis: Redis | null;
  /** REDIS_PREFIX of the accumulator. */
  prefix: string;
  pseudonymise: Pseudonymise;
}

/** Why a lookup gives no answer, or the answer. */
export type ClaimStatusResult = { ok: true; body: ClaimStatusBody } | { ok: false; code: RequestErrorCode };

const ID = /^[A-Za-z0-9._:-]{1,64}$/;
const TYPES: ReadonlySet<string> = new Set(['passport', 'other']);

/** The person's pseudonym from the request headers, or null when they do not name a valid person. */
export function personFromHeaders(headers: FastifyRequest['headers'], pseudonymise: Pseudonymise): string | null {
  const id = headers['x-person-id'];
  const type = headers['x-person-id-type'];
  if (typeof id !== 'string' || (type !== undefined && typeof type !== 'string')) return null;
  if (type === undefined) return residentIdProblem(id) === null ? pseudonymise(id, 'resident') : null;
  return TYPES.has(type) && ID.test(id) ? pseudonymise(id, type as PersonIdType) : null;
}

export function createClaimStatusLookup(deps: ClaimStatusDeps) {
  return async function lookup(principal: Principal, claimId: string, person: string): Promise<ClaimStatusResult> {
    if (deps.redis === null) return { ok: false, code: 'STATUS_UNAVAILABLE' };
    let value: string | null;
    try {
      value = await deps.redis.hget(personStateKeys.personClaims(deps.prefix, person), claimId);
    } catch {
      return { ok: false, code: 'STATUS_UNAVAILABLE' };
    }
    const record = value === null ? null : parseClaimRecord(value);
    if (record === null || !mayRead(principal, record.institutionTag)) return { ok: false, code: 'CLAIM_NOT_FOUND' };
    const body = claimStatusOf(claimId, record);
    return body === null ? { ok: false, code: 'CLAIM_NOT_FOUND' } : { ok: true, body };
  };
}

function mayRead(principal: Principal, tag: string): boolean {
  if (principal.role !== 'hospital') return false;
  if (principal.institutions === 'any') return true;
  for (const code of principal.institutions) if (institutionTag(code) === tag) return true;
  return false;
}

/** Registers the route; `guard` authenticates a hospital token, `refuse` answers a request error. */
export function registerClaimStatusRoute(
  app: FastifyInstance,
  deps: ClaimStatusDeps,
  guard: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  refuse: (reply: FastifyReply, code: RequestErrorCode) => FastifyReply,
): void {
  const lookup = createClaimStatusLookup(deps);
  app.get<{ Params: { claimId: string } }>('/v1/claims/:claimId', { onRequest: guard }, async (request, reply) => {
    const principal = request.principal;
    if (principal === null) return refuse(reply, 'UNAUTHENTICATED');
    if (!ID.test(request.params.claimId)) return refuse(reply, 'BAD_REQUEST');
    const person = personFromHeaders(request.headers, deps.pseudonymise);
    if (person === null) return refuse(reply, 'PERSON_ID_REQUIRED');
    const result = await lookup(principal, request.params.claimId, person);
    if (!result.ok) return refuse(reply, result.code);
    return reply.header('cache-control', 'no-store').send(result.body);
  });
}
