// POST /v1/alerts/{alertId}/reveal: the audited way from an alert to the identity numbers of its household's
// members, so a caseworker can find the people to visit. Only for alerts in the caller's scope (mayReveal),
// with a stated purpose, within a per-token hourly limit, and not for alerts closed long ago. The request
// (who, when, which alert, why) is written to the alert's history and alerts.audit.v1 before ingest is
// asked; the identities go to the caller once, with Cache-Control: no-store, and nowhere else: not to the
// log, not to a metric, not to Redis.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  alertApiError,
  maskIdentityNumbersIn,
  mayRevealAlertsOf,
  REVEAL_PURPOSE_MIN_LENGTH,
  type AlertJobData,
} from '@warnline/contracts';
import type { Logger } from 'pino';
import type { AlertStore } from './alert-store.ts';
import type { Principal } from './auth.ts';
import type { Effects } from './effects.ts';
import type { IdentityClient, RevealedIdentity } from './identity-client.ts';
import { streetOfAlert } from './keys.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Shortest purpose accepted (`REVEAL_PURPOSE_MIN_LENGTH` of packages/contracts). */
export const PURPOSE_MIN_LENGTH = REVEAL_PURPOSE_MIN_LENGTH;
const PSEUDONYM = /^p_[0-9a-f]{32}$/;

const RevealParams = z.object({ alertId: z.string().max(64) });
const RevealBody = z.strictObject({ purpose: z.string().max(1000).optional() });

/** May the principal reveal the identities behind an alert of this street or desk (`mayRevealAlertsOf`)? */
export function mayReveal(principal: Principal, streetCode: string): boolean {
  return mayRevealAlertsOf(principal, streetCode);
}

/** The pseudonyms of the alert's members: the job's list, or the household of one its id names. */
export function membersOf(record: Record<string, string>): string[] {
  let data: Partial<AlertJobData> = {};
  try {
    data = JSON.parse(record.data ?? '{}') as Partial<AlertJobData>;
  } catch {
    data = {};
  }
  if (Array.isArray(data.members) && data.members.length > 0) return [...new Set(data.members)];
  const household = record.householdId ?? '';
  return PSEUDONYM.test(household) ? [household] : [];
}

export interface RevealAnswer {
  alertId: string;
  householdId: string;
  revealedAt: string;
  identities: RevealedIdentity[];
}

export interface RevealDeps {
  store: AlertStore;
  effects: Effects;
  identities: IdentityClient;
  logger: Logger;
  /** Reveals per token per clock hour. */
  rateLimit: number;
  /** Days after closing during which a closed alert may still be revealed. */
  closedMaxDays: number;
  principalOf(request: FastifyRequest): Principal | null;
  now?: () => Date;
}

export function revealRoutes(deps: RevealDeps): FastifyPluginAsync {
  const now = deps.now ?? (() => new Date());
  return async (api) => {
    api.post('/v1/alerts/:alertId/reveal', async (request, reply): Promise<RevealAnswer> => {
      void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      const principal = deps.principalOf(request);
      if (principal === null) throw alertApiError('UNAUTHENTICATED');
      // Scope first, from the id alone: an alert outside the scope is refused unread.
      const params = RevealParams.safeParse(request.params);
      const street = params.success ? streetOfAlert(params.data.alertId) : null;
      if (!params.success || street === null || !mayReveal(principal, street)) throw alertApiError('FORBIDDEN');
      const alertId = params.data.alertId;
      const body = RevealBody.safeParse(request.body ?? {});
      if (!body.success) throw alertApiError('BAD_REQUEST');
      // An identity number typed into the purpose is masked before anything holds it.
      const purpose = maskIdentityNumbersIn(body.data.purpose?.trim() ?? '');
      if ([...purpose].length < PURPOSE_MIN_LENGTH) throw alertApiError('PURPOSE_REQUIRED');

      const at = now();
      const record = await deps.store.record(alertId);
      if (!record.state) throw alertApiError('NOT_FOUND');
      const closedAt = Date.parse(record.closedAt ?? '');
      if (record.state === 'closed' && at.getTime() - closedAt > deps.closedMaxDays * DAY_MS)
        throw alertApiError('REVEAL_CLOSED_TOO_LONG');
      const { count, resetsInMs } = await deps.store.countReveal(principal.name, at, HOUR_MS);
      if (count > deps.rateLimit) {
        void reply.header('retry-after', String(Math.max(1, Math.ceil(resetsInMs / 1000))));
        throw alertApiError('REVEAL_RATE_LIMITED');
      }
      const members = membersOf(record);
      if (members.length === 0) throw alertApiError('REVEAL_NO_IDENTITY');

      const recorded = await deps.store.recordReveal(alertId, purpose, principal, at);
      if (recorded.kind === 'not-found') throw alertApiError('NOT_FOUND');
      await deps.effects.run(recorded.event).catch((err: unknown) => {
        // The request is in the history and the outbox; the relay writes it to the audit topic.
        request.log.warn({ err: { name: (err as Error).name }, alertId }, 'reveal audit deferred to the outbox relay');
      });
      const identities = await deps.identities.reveal({
        pseudonyms: members,
        requestedBy: principal.name,
        alertId,
        purpose,
      });
      deps.logger.info(
        {
          alertId,
          actor: principal.name,
          members: members.length,
          revealed: identities.filter((i) => 'personId' in i).length,
        },
        'identities revealed',
      );
      return { alertId, householdId: record.householdId ?? '', revealedAt: at.toISOString(), identities };
    });
  };
}
