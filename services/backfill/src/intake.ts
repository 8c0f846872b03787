// Validation and pseudonymisation of backfilled records: ingest's own intake, so a record loaded from a file
// becomes exactly the event it would have become sent to ingest (same checks, codes, pseudonym, amounts).
// The pseudonymiser is made here and nowhere else in the backfill.
import type { DeadLetterOrigin } from '@warnline/contracts';
import { createIntake, emptyOutbound, type Outbound, type Outcome } from '@warnline/ingest/intake';
import { createExchangeIntake } from '@warnline/ingest/nhsa-exchange';
import { createPseudonymiser } from '@warnline/ingest/pseudonym';

/** What the files hold: claims of the contract, national-platform exchanges, or registry households. */
export const RECORD_KINDS = ['claims', 'nhsa', 'households'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export interface BackfillIntake {
  /** One batch's clock: today and the oldest month kept, as ingest reads them per delivery. */
  begin(now: Date): (record: unknown, out: Outbound) => Outcome;
}

export function createBackfillIntake(deps: {
  kind: RecordKind;
  pseudonymKey: string;
  retentionMonths: number;
  institutionLevels: Readonly<Record<string, 1 | 2 | 3>>;
  onError?: (err: unknown) => void;
}): BackfillIntake {
  const pseudonymise = createPseudonymiser(deps.pseudonymKey);
  const intake = createIntake({ pseudonymise, retentionMonths: deps.retentionMonths, onError: deps.onError });
  const exchanges = createExchangeIntake({
    intake,
    pseudonymise,
    institutionLevels: deps.institutionLevels,
    onError: deps.onError,
  });
  return {
    begin(now) {
      const ctx = intake.context(now);
      // Dead letters are built only for the rejects file; they are never written to a topic.
      const origin: DeadLetterOrigin = { source: 'kafka', principal: null, receivedAt: ctx.receivedAt, kafka: null };
      switch (deps.kind) {
        case 'claims':
          return (record, out) => intake.claim({ json: record }, ctx, origin, out);
        case 'nhsa':
          return (record, out) => exchanges.exchange({ json: record }, ctx, origin, out);
        case 'households':
          return (record, out) => intake.household({ json: record }, ctx, origin, out);
      }
    },
  };
}

export { emptyOutbound, type Outbound };
