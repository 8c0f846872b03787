// The alerter's side of ingest's internal reveal route. Ingest's answer is read and checked here and handed
// to the caller only; nothing of it is logged (a failure is reported by status and error name), and a body
// that does not parse is dropped without its text (JSON.parse's message would quote it).
import { z } from 'zod';
import { alertApiError } from '@warnline/contracts';
import type { Logger } from 'pino';

const IdentitySchema = z.union([
  z.object({ pseudonym: z.string(), personIdType: z.enum(['resident', 'passport', 'other']), personId: z.string() }),
  z.object({ pseudonym: z.string(), code: z.string() }),
]);
export type RevealedIdentity = z.infer<typeof IdentitySchema>;

const AnswerSchema = z.object({ identities: z.array(IdentitySchema) });

export interface RevealRequest {
  pseudonyms: string[];
  /** The caseworker's token name. */
  requestedBy: string;
  alertId: string;
  purpose: string;
}

export interface IdentityClient {
  /** The identities of the pseudonyms; throws REVEAL_NO_IDENTITY or REVEAL_UNAVAILABLE. */
  reveal(request: RevealRequest): Promise<RevealedIdentity[]>;
}

export function createIdentityClient(deps: {
  /** Ingest's base URL; undefined when not configured (every reveal is then unavailable). */
  url: string | undefined;
  token: string | undefined;
  timeoutMs: number;
  logger: Logger;
}): IdentityClient {
  const unavailable = () => alertApiError('REVEAL_UNAVAILABLE');
  return {
    async reveal(request) {
      if (deps.url === undefined || deps.token === undefined) throw unavailable();
      let res: Response;
      try {
        res = await fetch(new URL('/internal/v1/identities/reveal', deps.url), {
          method: 'POST',
          headers: { authorization: `Bearer ${deps.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(deps.timeoutMs),
        });
      } catch (err) {
        deps.logger.warn({ err: { name: (err as Error).name } }, 'ingest unreachable for a reveal');
        throw unavailable();
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        body = undefined;
      }
      if (res.status === 404) throw alertApiError('REVEAL_NO_IDENTITY');
      const parsed = AnswerSchema.safeParse(body);
      if (res.status !== 200 || !parsed.success) {
        const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
        deps.logger.warn(
          { status: res.status, code: typeof code === 'string' ? code : null },
          'ingest refused a reveal or answered out of contract',
        );
        throw unavailable();
      }
      return parsed.data.identities;
    },
  };
}
