// Refused records: each in the rejects file with its file, line and codes, identity numbers never in clear;
// the summary counts them by code; a dry run validates and counts the same way and writes nothing to Kafka.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { claim, REPO_ROOT, residentId, runScript } from '@warnline/test';
import { scratchTest as test } from '@warnline/test/scratch';
import {
  BACKFILL_CLI,
  backfill,
  backfillEnv,
  distinctRecords,
  readTopic,
  scratchDirPerTest,
  settlementRow,
  SETTLEMENT_TABLE_HEADER,
} from '../support.ts';

const scratchDir = scratchDirPerTest();

/** A resident number with a wrong check character: invalid, but still an identity number to hide. */
const badId = (() => {
  const valid = residentId(7);
  return valid.slice(0, 17) + (valid[17] === '1' ? '2' : '1');
})();

function mixedFile() {
  const good = [claim({ personId: residentId(1) }), claim({ personId: residentId(2) })];
  const wrongId = claim({ personId: badId });
  const wrongSum = claim({ personId: residentId(3) });
  wrongSum.amounts.cash = '1.00';
  const lines = [
    JSON.stringify(good[0]), // 1
    JSON.stringify(wrongId), // 2: INVALID_PERSON_ID
    '', // 3: empty, skipped
    `{"claimId": "broken", "personId": "${residentId(4)}"`, // 4: not JSON
    JSON.stringify(wrongSum), // 5: AMOUNT_IDENTITY
    JSON.stringify(good[1]), // 6
    '[1, 2]', // 7: NOT_AN_OBJECT
  ];
  return { text: lines.join('\n') + '\n', good, wrongId, wrongSum };
}

describe('warnline backfill: rejected records', () => {
  test('each refused record is in the rejects file with file, line and codes, its identity number masked', async ({
    scratch,
  }) => {
    const dir = scratchDir();
    const { text, good } = mixedFile();
    const file = join(dir, 'claims.jsonl');
    await writeFile(file, text);

    const run = await backfill(
      ['--kind', 'claims', '--rejects', 'rejects.jsonl', 'claims.jsonl'],
      backfillEnv(scratch),
      dir,
    );

    expect(run.code, run.stderr).toBe(0);
    expect(run.summary).toMatchObject({
      read: 6,
      accepted: 2,
      rejected: 4,
      byCode: { INVALID_PERSON_ID: 1, UNPARSEABLE_LINE: 1, AMOUNT_IDENTITY: 1, NOT_AN_OBJECT: 1 },
    });
    expect(run.stderr).toContain('INVALID_PERSON_ID: 1');
    const rejectsText = await readFile(join(dir, 'rejects.jsonl'), 'utf8');
    const rejects = rejectsText
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rejects.map((r) => [r.file, r.line, r.code])).toEqual([
      [file, 2, 'INVALID_PERSON_ID'],
      [file, 4, 'UNPARSEABLE_LINE'],
      [file, 5, 'AMOUNT_IDENTITY'],
      [file, 7, 'NOT_AN_OBJECT'],
    ]);
    expect((rejects[0]!.input as { personId: string }).personId).toBe('<18 chars masked>');
    expect(rejects[0]!.rejections).toEqual([expect.objectContaining({ code: 'INVALID_PERSON_ID', field: 'personId' })]);
    // No identity number in clear anywhere in the file: not the invalid one, not the valid ones around it.
    for (const id of [badId, residentId(3), residentId(4)]) expect(rejectsText).not.toContain(id);
    const records = distinctRecords(await readTopic(scratch.kafka, `${scratch.namespace}claims.v1`, 2));
    expect(records.map((r) => r.value.claimId).sort()).toEqual(good.map((c) => c.claimId).sort());
  });

  test('--dry-run validates and counts the same, and writes nothing to Kafka', async ({ scratch }) => {
    const dir = scratchDir();
    await writeFile(join(dir, 'claims.jsonl'), mixedFile().text);

    const run = await backfill(['--kind', 'claims', '--dry-run', 'claims.jsonl'], backfillEnv(scratch), dir);

    expect(run.code, run.stderr).toBe(0);
    expect(run.summary).toMatchObject({ read: 6, accepted: 2, rejected: 4 });
    expect((await readFile(join(dir, 'backfill-claims-rejects.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(4);
    const admin = scratch.kafka.admin();
    await admin.connect();
    try {
      expect((await admin.listTopics()).filter((t) => t.startsWith(scratch.namespace))).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });

  test('a CSV row with unbalanced quotes or too few cells is rejected by line, the rest loaded', async ({
    scratch,
  }) => {
    const dir = scratchDir();
    const c = claim({ personId: residentId(9) });
    const row = settlementRow(c);
    await writeFile(
      join(dir, 'settlements.csv'),
      [SETTLEMENT_TABLE_HEADER, row, `"unclosed,${residentId(10)}`, 'X1,only,three'].join('\n') + '\n',
    );
    const mapping = join(REPO_ROOT, 'services', 'backfill', 'examples', 'settlement-table.mapping.json');

    const run = await backfill(
      ['--kind', 'claims', '--mapping', mapping, 'settlements.csv'],
      backfillEnv(scratch),
      dir,
    );

    expect(run.code, run.stderr).toBe(0);
    expect(run.summary).toMatchObject({ read: 3, accepted: 1, rejected: 2, byCode: { UNPARSEABLE_LINE: 2 } });
    const rejects = (await readFile(join(dir, 'backfill-claims-rejects.jsonl'), 'utf8')).trim().split('\n');
    expect(rejects.map((l) => (JSON.parse(l) as { line: number }).line)).toEqual([3, 4]);
    expect(rejects.join('\n')).not.toContain(residentId(10));
  });

  test('a usage error stops the command with exit code 2 and its code', async ({ scratch }) => {
    const dir = scratchDir();
    const run = await runScript(BACKFILL_CLI, ['--kind', 'visits', 'claims.jsonl'], backfillEnv(scratch), { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^warnline: BACKFILL_USAGE: --kind must be one of claims, nhsa, households\n$/);
  });
});
