// National-platform settlement exchanges (POST /v1/nhsa/exchanges, his.nhsa.raw.v1): each is mapped to a
// claim by the contract's mapping, then taken through the same intake as a claim a HIS sends as JSON. An
// exchange that cannot be mapped is dead-lettered as the claim it would have made, identity number
// pseudonymised or masked like any refused claim; nothing else of the exchange (names, birth dates) is kept.
import { mapNhsaExchange, REJECTION_CODES, type Rejection } from '@warnline/contracts';
import { deadLetter, type Origin } from './dead-letter.ts';
import type { Intake, Outbound, Outcome, TakeClaim } from './intake.ts';
import type { Pseudonymise } from './pseudonym.ts';

export interface ExchangeIntake {
  /**
   * Maps and validates one exchange, adding its claim event or dead letter to `out`. `allowed` is the token's
   * institution check (http): an exchange it refuses is only FORBIDDEN_INSTITUTION. Never throws.
   */
  exchange: TakeClaim;
}

export function createExchangeIntake(deps: {
  intake: Intake;
  pseudonymise: Pseudonymise;
  /** Institution code → level (1, 2, 3), for the claims made from exchanges. */
  institutionLevels: Readonly<Record<string, 1 | 2 | 3>>;
  onError?: (err: unknown) => void;
}): ExchangeIntake {
  const options = { institutionLevel: (code: string) => deps.institutionLevels[code] };
  const refuse = (claim: unknown, rejections: Rejection[], origin: Origin, out: Outbound): Outcome => {
    out.claimDeadLetters.push(deadLetter('claim', { json: claim }, rejections, origin, deps.pseudonymise));
    return { ok: false, rejections };
  };

  return {
    exchange(refused, ctx, origin, out, allowed) {
      // Bytes that are not JSON: the claim intake dead-letters them as UNPARSEABLE_MESSAGE.
      if (!('json' in refused)) return deps.intake.claim(refused, ctx, origin, out);
      try {
        const code = fixmedinsCode(refused.json);
        const mapping = mapNhsaExchange(refused.json, options);
        if (allowed && code !== undefined && !allowed(code)) {
          const forbidden: Rejection = {
            code: 'FORBIDDEN_INSTITUTION',
            field: 'request.fixmedins_code',
            message: REJECTION_CODES.FORBIDDEN_INSTITUTION,
          };
          return refuse(mapping.claim, [forbidden], origin, out);
        }
        if (!mapping.ok) return refuse(mapping.claim, mapping.rejections, origin, out);
        return deps.intake.claim({ json: mapping.claim }, ctx, origin, out, allowed);
      } catch (err) {
        deps.onError?.(err);
        const failed: Rejection = {
          code: 'UNPROCESSABLE_ITEM',
          field: '(item)',
          message: REJECTION_CODES.UNPROCESSABLE_ITEM,
        };
        return refuse(null, [failed], origin, out);
      }
    },
  };
}

function fixmedinsCode(input: unknown): string | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const request = (input as { request?: unknown }).request;
  const code =
    request !== null && typeof request === 'object'
      ? (request as { fixmedins_code?: unknown }).fixmedins_code
      : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** The settlement id of an exchange (setl_id), echoed in an HTTP answer so the HIS can match its items. */
export function exchangeSetlId(input: unknown): unknown {
  const response = isRecord(input) ? input.response : undefined;
  const output = isRecord(response) ? response.output : undefined;
  const setlinfo = isRecord(output) ? output.setlinfo : undefined;
  return isRecord(setlinfo) ? setlinfo.setl_id : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
