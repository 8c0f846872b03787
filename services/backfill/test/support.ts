// What the backfill's integration tests share: the command run as a separate process, its environment,
// scratch directories, and a reader of what it wrote to a topic.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { afterEach, beforeEach } from 'vitest';
import { createPseudonymiser } from '@warnline/ingest/pseudonym';
import { REPO_ROOT, runScript, uniqueId, waitFor, type claim, type Finished } from '@warnline/test';
import type { Scratch } from '@warnline/test/scratch';

export const PSEUDONYM_KEY = 'backfill-test-key-0123456789abcdef0123';
export const pseudonymise = createPseudonymiser(PSEUDONYM_KEY);
export const BACKFILL_CLI = join(REPO_ROOT, 'services', 'backfill', 'src', 'cli', 'main.ts');

export function backfillEnv(scratch: Pick<Scratch, 'kafkaBrokers' | 'namespace'>, extra: Record<string, string> = {}) {
  return {
    KAFKA_BROKERS: scratch.kafkaBrokers.join(','),
    TOPIC_NAMESPACE: scratch.namespace,
    TOPIC_PARTITIONS: '3',
    PSEUDONYM_KEY,
    INGEST_INSTITUTION_LEVELS: JSON.stringify({ H31011000012: 3 }),
    ...extra,
  };
}

export interface BackfillRun extends Finished {
  /** The JSON summary the command prints on stdout. */
  summary: {
    complete: boolean;
    read: number;
    accepted: number;
    rejected: number;
    byCode: Record<string, number>;
  };
}

/** Runs `warnline backfill` to its end in `dir` (where its rejects and checkpoint files go by default). */
export async function backfill(
  args: readonly string[],
  env: Record<string, string>,
  dir: string,
): Promise<BackfillRun> {
  const run = await runScript(BACKFILL_CLI, ['--no-progress', ...args], env, { cwd: dir });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  let summary: BackfillRun['summary'];
  try {
    summary = JSON.parse(last) as BackfillRun['summary'];
  } catch {
    throw new Error(`backfill printed no summary (exit ${run.code}):\n${run.stderr}`);
  }
  return { ...run, summary };
}

/** A fresh scratch directory for each test of the file, removed after it: call at the top of the file. */
export function scratchDirPerTest(): () => string {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warnline-backfill-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  return () => dir;
}

export const jsonLines = (items: readonly unknown[]) => items.map((i) => JSON.stringify(i)).join('\n') + '\n';

/** The header of the settlement-table export that examples/settlement-table.mapping.json describes. */
export const SETTLEMENT_TABLE_HEADER =
  'SETL_ID,CERTNO,FIXMEDINS_CODE,HOSP_LV,MED_TYPE,BEGNDATE,SETL_TIME,MEDFEE_SUMAMT,INSCP_SCP_AMT,HIFP_PAY,' +
  'HIFMI_PAY,OTH_FUND_PAY,MAF_PAY,ACCT_PAY,PSN_CASH_PAY';

/** An inpatient claim as a row of that export (service date as YYYYMMDD, settlement as local time). */
export function settlementRow(c: ReturnType<typeof claim>): string {
  return [
    c.claimId,
    c.personId,
    c.institution.code,
    c.institution.level,
    '21',
    c.serviceDate.replaceAll('-', ''),
    `${c.serviceDate} 18:00:00`,
    c.amounts.total,
    c.amounts.policyScope,
    c.amounts.basicFund,
    c.amounts.criticalIllness,
    c.amounts.supplementary,
    c.amounts.assistance,
    c.amounts.personalAccount,
    c.amounts.cash,
  ].join(',');
}

export interface TopicRecord {
  key: string | null;
  value: Record<string, unknown>;
}

/** Every record of `topic` from its start, once at least `count` are there (and the topic stops growing). */
/**
 * The records without their exact repeats (same key, same value). The services' producer makes a failed send
 * again whole, so Kafka may hold a record twice (at least once; the claim id makes the repeat harmless
 * downstream): a test of what was sent compares the distinct records.
 */
export function distinctRecords(records: readonly TopicRecord[]): TopicRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    const id = JSON.stringify([r.key, r.value]);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export async function readTopic(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 60_000,
): Promise<TopicRecord[]> {
  const records: TopicRecord[] = [];
  const consumer = kafka.consumer({ groupId: uniqueId('read') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        records.push({
          key: message.key?.toString() ?? null,
          value: JSON.parse(message.value!.toString()) as Record<string, unknown>,
        });
      },
    });
    await waitFor(`${count} records on ${topic}`, () => records.length >= count, { timeoutMs, intervalMs: 200 });
    // Anything more that was written (a duplicate) arrives in the same fetches: give it a moment.
    let seen = -1;
    await waitFor(
      `${topic} to stop growing`,
      () => {
        const stable = seen === records.length;
        seen = records.length;
        return stable;
      },
      { timeoutMs, intervalMs: 1000 },
    );
  } finally {
    await consumer.disconnect();
  }
  return records;
}
