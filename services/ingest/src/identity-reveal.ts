// POST /internal/v1/identities/reveal: the one way back from pseudonyms to identity numbers, for the
// alerter's audited reveal. Its own token list (INTERNAL_TOKENS), never a HIS or registry token. The alerter
// has already checked the caseworker's scope, rate and purpose and recorded the request in the alert's
// history and audit; ingest logs who asked, for which alert, and how many identities it answered, never
// the identities, and the answer is not to be stored by anything in between (Cache-Control: no-store).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RequestErrorCode } from '@warnline/contracts';
import { bearerToken, createTokenMatcher } from '@warnline/runtime';
import type { InternalToken } from './config.ts';
import type { IdentityStore, RevealedIdentity } from './identity-store.ts';

const PSEUDONYM = /^p_[0-9a-f]{32}$/;

const RevealBody = z.strictObject({
  pseudonyms: z.array(z.string().regex(PSEUDONYM)).min(1).max(100),
  /** The caseworker's token name at the alerter. */
  requestedBy: z.string().min(1).max(64),
  alertId: z.string().min(1).max(64),
  purpose: z.string().min(1).max(1000),
});

export interface RevealAnswer {
  alertId: string;
  identities: RevealedIdentity[];
}

export interface IdentityRevealDeps {
  tokens: readonly InternalToken[];
  /** Null when no identity store is configured: the route then answers 503. */
  store: IdentityStore | null;
}

export function registerIdentityRevealRoute(
  app: FastifyInstance,
  deps: IdentityRevealDeps,
  refuse: (reply: FastifyReply, code: RequestErrorCode) => FastifyReply,
): void {
  const matcher = createTokenMatcher(deps.tokens.map((t) => ({ token: t.token, principal: t.name })));
  const callers = new WeakMap<FastifyRequest, string>();
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = matcher.match(bearerToken(request.headers.authorization));
    if (caller === null) return refuse(reply, 'UNAUTHENTICATED');
    callers.set(request, caller);
    return undefined;
  };

  app.post('/internal/v1/identities/reveal', { onRequest: guard }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const parsed = RevealBody.safeParse(request.body);
    if (!parsed.success) return refuse(reply, 'BAD_REQUEST');
    if (deps.store === null) return refuse(reply, 'IDENTITY_STORE_UNAVAILABLE');
    const { pseudonyms, requestedBy, alertId } = parsed.data;
    let identities: RevealedIdentity[];
    try {
      identities = await deps.store.reveal([...new Set(pseudonyms)]);
    } catch (err) {
      request.log.warn({ err: { name: (err as Error).name } }, 'identity store unreadable: reveal refused');
      return refuse(reply, 'IDENTITY_STORE_UNAVAILABLE');
    }
    const found = identities.filter((i) => !('code' in i)).length;
    request.log.info(
      { caller: callers.get(request), requestedBy, alertId, asked: pseudonyms.length, found },
      'identities revealed',
    );
    if (found === 0 && identities.every((i) => 'code' in i && i.code === 'IDENTITY_NOT_FOUND'))
      return refuse(reply, 'IDENTITY_NOT_FOUND');
    const answer: RevealAnswer = { alertId, identities };
    return reply.send(answer);
  });
}
