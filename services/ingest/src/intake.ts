// One input item, from HTTP or Kafka, to its outcome: an event for claims.v1 / households.v1, or
// rejections plus a dead letter. The same path for both sources, so both validate the same way.
import {
  oldestRetainedMonth,
  shanghaiDate,
  REJECTION_CODES,
  type ClaimEvent,
  type DeadLetter,
  type HouseholdEvent,
  type Rejection,
} from '@warnline/contracts';
import { deadLetter, type Origin, type RefusedInput } from './dead-letter.ts';
import type { PersonIdentity } from './identity-cipher.ts';
import { keepingPseudonymiser } from './identity-keeping.ts';
import { levelLabel, type Metrics, type Source } from './metrics.ts';
import type { Pseudonymise } from './pseudonym.ts';
import { MAX_RECORD_BYTES, recordBytes } from './record-size.ts';
import { validateClaim, validateHousehold, type ValidationContext } from './validate.ts';

/** Everything one delivery (an HTTP request, a Kafka batch) writes, sent to Kafka together. */
export interface Outbound {
  claims: ClaimEvent[];
  households: HouseholdEvent[];
  claimDeadLetters: DeadLetter[];
  householdDeadLetters: DeadLetter[];
  /** Pseudonym → identity of every person the accepted events name: kept before the events are published. */
  identities: Map<string, PersonIdentity>;
}

export const emptyOutbound = (): Outbound => ({
  claims: [],
  households: [],
  claimDeadLetters: [],
  householdDeadLetters: [],
  identities: new Map(),
});

/** The item's own validation context: its pseudonyms' identities are noted in `kept`. */
function keeping(ctx: ValidationContext, kept: Map<string, PersonIdentity>): ValidationContext {
  return { ...ctx, pseudonymise: keepingPseudonymiser(ctx.pseudonymise, kept) };
}

/** An accepted item's identities join the delivery's; a refused item's are dropped with it. */
function keepAll(out: Outbound, kept: ReadonlyMap<string, PersonIdentity>): void {
  for (const [pseudonym, identity] of kept) out.identities.set(pseudonym, identity);
}

export type Outcome = { ok: true } | { ok: false; rejections: Rejection[] };

/** Takes one item that becomes a claim: its event or its dead letter goes to `out`; `allowed` checks the token's institutions. */
export type TakeClaim = (
  refused: RefusedInput,
  ctx: ValidationContext,
  origin: Origin,
  out: Outbound,
  allowed?: (institutionCode: string) => boolean,
) => Outcome;

export interface Intake {
  /** The validation context of one delivery: one clock reading for all its items. */
  context(now: Date): ValidationContext;
  /**
   * Validates a claim and adds its event or dead letter to `out`. `allowed` is the token's institution
   * check (http); a claim it refuses is only FORBIDDEN_INSTITUTION, whatever else is wrong with it.
   * Never throws: an unexpected failure on one item dead-letters that item only.
   */
  claim: TakeClaim;
  household(refused: RefusedInput, ctx: ValidationContext, origin: Origin, out: Outbound): Outcome;
  /**
   * The dead letter of an input whose records Kafka refused even when written on their own
   * (PUBLISH_REFUSED, with the error's name): what the Kafka input writes instead, so that one message
   * cannot stop its partition.
   */
  parked(kind: 'claim' | 'household', refused: RefusedInput, origin: Origin, errorName: string): Outbound;
}

export function createIntake(deps: {
  pseudonymise: Pseudonymise;
  retentionMonths: number;
  onError?: (err: unknown) => void;
  /** Largest event record written; a larger one is rejected with RECORD_TOO_LARGE. Default MAX_RECORD_BYTES. */
  maxRecordBytes?: number;
}): Intake {
  const { pseudonymise } = deps;
  const maxRecordBytes = deps.maxRecordBytes ?? MAX_RECORD_BYTES;
  const tooLarge = (): Rejection[] => [
    {
      code: 'RECORD_TOO_LARGE',
      field: '(item)',
      message: `${REJECTION_CODES.RECORD_TOO_LARGE} (${maxRecordBytes} bytes)`,
    },
  ];
  /** An event Kafka can carry: its record, measured as it will be written, within maxRecordBytes. */
  const fits = (key: string, event: object) => recordBytes({ key, value: JSON.stringify(event) }) <= maxRecordBytes;

  function letter(kind: 'claim' | 'household', refused: RefusedInput, rejections: Rejection[], origin: Origin) {
    try {
      return deadLetter(kind, refused, rejections, origin, pseudonymise);
    } catch {
      return deadLetter(kind, { json: null }, rejections, origin, pseudonymise);
    }
  }

  function guarded(
    kind: 'claim' | 'household',
    refused: RefusedInput,
    origin: Origin,
    out: Outbound,
    run: () => Outcome,
  ): Outcome {
    try {
      return run();
    } catch (err) {
      deps.onError?.(err);
      const rejections: Rejection[] = [
        { code: 'UNPROCESSABLE_ITEM', field: '(item)', message: REJECTION_CODES.UNPROCESSABLE_ITEM },
      ];
      (kind === 'claim' ? out.claimDeadLetters : out.householdDeadLetters).push(
        letter(kind, refused, rejections, origin),
      );
      return { ok: false, rejections };
    }
  }

  return {
    context(now) {
      const today = shanghaiDate(now);
      return {
        pseudonymise,
        receivedAt: now.toISOString(),
        today,
        oldestMonth: oldestRetainedMonth(today, deps.retentionMonths),
      };
    },

    claim(refused, ctx, origin, out, allowed) {
      return guarded('claim', refused, origin, out, () => {
        const input = 'json' in refused ? refused.json : undefined;
        const code = institutionCode(input);
        const kept = new Map<string, PersonIdentity>();
        const result: ReturnType<typeof validateClaim> = !('json' in refused)
          ? {
              ok: false,
              rejections: [
                { code: 'UNPARSEABLE_MESSAGE', field: '(item)', message: REJECTION_CODES.UNPARSEABLE_MESSAGE },
              ],
            }
          : allowed && code !== undefined && !allowed(code)
            ? {
                ok: false,
                rejections: [
                  {
                    code: 'FORBIDDEN_INSTITUTION',
                    field: 'institution.code',
                    message: REJECTION_CODES.FORBIDDEN_INSTITUTION,
                  },
                ],
              }
            : validateClaim(input, keeping(ctx, kept));
        if (result.ok && fits(result.event.personId, result.event)) {
          out.claims.push(result.event);
          keepAll(out, kept);
          return { ok: true };
        }
        const rejections = result.ok ? tooLarge() : result.rejections;
        out.claimDeadLetters.push(deadLetter('claim', refused, rejections, origin, pseudonymise));
        return { ok: false, rejections };
      });
    },

    parked(kind, refused, origin, errorName) {
      const out = emptyOutbound();
      const rejections: Rejection[] = [
        {
          code: 'PUBLISH_REFUSED',
          field: '(item)',
          message: `${REJECTION_CODES.PUBLISH_REFUSED} (${errorName})`,
        },
      ];
      (kind === 'claim' ? out.claimDeadLetters : out.householdDeadLetters).push(
        letter(kind, refused, rejections, origin),
      );
      return out;
    },

    household(refused, ctx, origin, out) {
      return guarded('household', refused, origin, out, () => {
        const kept = new Map<string, PersonIdentity>();
        const result: ReturnType<typeof validateHousehold> =
          'json' in refused
            ? validateHousehold(refused.json, keeping(ctx, kept))
            : {
                ok: false,
                rejections: [
                  { code: 'UNPARSEABLE_MESSAGE', field: '(item)', message: REJECTION_CODES.UNPARSEABLE_MESSAGE },
                ],
              };
        if (result.ok && fits(result.event.householdId, result.event)) {
          out.households.push(result.event);
          keepAll(out, kept);
          return { ok: true };
        }
        const rejections = result.ok ? tooLarge() : result.rejections;
        out.householdDeadLetters.push(deadLetter('household', refused, rejections, origin, pseudonymise));
        return { ok: false, rejections };
      });
    },
  };
}

function institutionCode(input: unknown): string | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const institution = (input as { institution?: unknown }).institution;
  const code =
    institution !== null && typeof institution === 'object' ? (institution as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** Counts what a delivery wrote, once Kafka has acknowledged it (a 503 counts nothing: it will be resent). */
export function countWritten(metrics: Metrics, source: Source, out: Outbound): void {
  for (const e of out.claims) metrics.claimAccepted(source, levelLabel(e));
  for (const code of new Set(out.claims.map((e) => e.institution.code))) metrics.institutionSeen(code);
  for (const d of out.claimDeadLetters) metrics.claimRejected(source, d.code, levelLabel(d.input));
  for (const _ of out.households) metrics.householdAccepted(source);
  for (const d of out.householdDeadLetters) metrics.householdRejected(source, d.code);
}
