// --oracle-out FILE: what the pre-filled feed must add up to, for a tool that checks another consumer of the
// same topics (or a kept run's Redis) against it. Net integer fen, every claimId counted once, reversals
// subtracted: per person and service month, and per registry household and month (its members' sum).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FenTotals } from '@warnline/synthetic';
import type { PrefillResult } from './accumulator-phase.ts';

export interface OracleFile {
  runId: string;
  asOf: string;
  seed: number;
  order: string;
  claims: number;
  /** person pseudonym → month → net fen. */
  persons: Record<string, Record<string, FenTotals>>;
  /** registry household id → month → net fen of its members. */
  households: Record<string, Record<string, FenTotals>>;
}

export function writeOracle(
  file: string,
  filled: Pick<PrefillResult, 'oracle' | 'householdMembers' | 'claims'>,
  run: { runId: string; asOf: string; seed: number; order: string },
): void {
  const persons: OracleFile['persons'] = {};
  for (const person of filled.oracle.persons()) {
    persons[person] = Object.fromEntries(filled.oracle.months(person));
  }
  const households: OracleFile['households'] = {};
  for (const [householdId, members] of filled.householdMembers) {
    const months: Record<string, FenTotals> = {};
    for (const member of members) {
      for (const [month, t] of Object.entries(persons[member] ?? {})) {
        const sum = (months[month] ??= { burdenFen: 0, selfPayFen: 0 });
        sum.burdenFen += t.burdenFen;
        sum.selfPayFen += t.selfPayFen;
      }
    }
    households[householdId] = months;
  }
  const out: OracleFile = { ...run, claims: filled.claims, persons, households };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(out));
}
