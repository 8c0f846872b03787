// Each input format through the real command into the real Kafka: claims of the contract, national-platform
// exchanges (gzip), a CSV settlement table with the example mapping, registry households as JSON Lines and
// CSV in one directory. What lands on claims.v1 / households.v1 is what ingest writes: pseudonyms for
// identity numbers, the person (or household) as the key, amounts with two decimals.
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect } from 'vitest';
import { claim, household, nhsaExchange, residentId, REPO_ROOT } from '@warnline/test';
import { scratchTest as test } from '@warnline/test/scratch';
import {
  backfill,
  backfillEnv,
  jsonLines,
  pseudonymise,
  distinctRecords,
  readTopic,
  scratchDirPerTest,
  settlementRow,
  SETTLEMENT_TABLE_HEADER,
} from '../support.ts';

const EXAMPLES = join(REPO_ROOT, 'services', 'backfill', 'examples');
const scratchDir = scratchDirPerTest();

/** Claims as rows of the settlement-table export that examples/settlement-table.mapping.json describes. */
const settlementTable = (claims: ReturnType<typeof claim>[]) =>
  [SETTLEMENT_TABLE_HEADER, ...claims.map(settlementRow)].join('\r\n') + '\r\n';

describe('warnline backfill: input formats', () => {
  test('claims as JSON Lines go to claims.v1 keyed by the pseudonym, as ingest writes them', async ({ scratch }) => {
    const dir = scratchDir();
    const claims = Array.from({ length: 25 }, (_, i) => claim({ personId: residentId(i), cash: '4000.5' }));
    await writeFile(join(dir, 'claims.jsonl'), jsonLines(claims));

    const run = await backfill(['--kind', 'claims', 'claims.jsonl'], backfillEnv(scratch), dir);

    expect(run.code, run.stderr).toBe(0);
    expect(run.summary).toMatchObject({ complete: true, read: 25, accepted: 25, rejected: 0 });
    const records = distinctRecords(await readTopic(scratch.kafka, `${scratch.namespace}claims.v1`, 25));
    expect(records).toHaveLength(25);
    for (const c of claims) {
      const record = records.find((r) => r.value.claimId === c.claimId)!;
      expect(record.key).toBe(pseudonymise(c.personId));
      expect(record.value.personId).toBe(pseudonymise(c.personId));
      expect((record.value.amounts as { cash: string }).cash).toBe('4000.50');
    }
  });

  test('national-platform exchanges in a gzip file are mapped by the contract mapping', async ({ scratch }) => {
    const dir = scratchDir();
    const exchanges = Array.from({ length: 12 }, (_, i) => nhsaExchange({ certno: residentId(100 + i) }));
    await writeFile(join(dir, 'exchanges.jsonl.gz'), gzipSync(jsonLines(exchanges)));

    const run = await backfill(['--kind', 'nhsa', 'exchanges.jsonl.gz'], backfillEnv(scratch), dir);

    expect(run.code, run.stderr).toBe(0);
    expect(run.summary).toMatchObject({ read: 12, accepted: 12, rejected: 0 });
    const records = distinctRecords(await readTopic(scratch.kafka, `${scratch.namespace}claims.v1`, 12));
    const ids = exchanges.map((e) => e.response.output.setlinfo.setl_id).sort();
    expect(records.map((r) => r.value.claimId).sort()).toEqual(ids);
    for (const [i, e] of exchanges.entries()) {
      const record = records.find((r) => r.value.claimId === e.response.output.setlinfo.setl_id)!;
      expect(record.key).toBe(pseudonymise(residentId(100 + i)));
      expect(record.value).toMatchObject({ type: 'settlement', visitType: 'inpatient', institution: { level: 3 } });
    }
  });

  test('a CSV settlement table with the example mapping makes the same claims as their JSON', async ({ scratch }) => {
    const dir = scratchDir();
    const claims = Array.from({ length: 10 }, (_, i) => claim({ personId: residentId(200 + i) }));
    await writeFile(join(dir, 'settlements.csv'), settlementTable(claims));

    const run = await backfill(
      ['--kind', 'claims', '--mapping', join(EXAMPLES, 'settlement-table.mapping.json'), 'settlements.csv'],
      backfillEnv(scratch),
      dir,
    );

    expect(run.code, run.stderr).toBe(0);
    expect(run.summary).toMatchObject({ read: 10, accepted: 10, rejected: 0 });
    const records = distinctRecords(await readTopic(scratch.kafka, `${scratch.namespace}claims.v1`, 10));
    for (const c of claims) {
      const { receivedAt: _, ...value } = records.find((r) => r.value.claimId === c.claimId)!.value;
      expect(value).toEqual({ ...c, personId: pseudonymise(c.personId) });
    }
  });

  test('registry households as JSON Lines and CSV, given as a directory, go to households.v1', async ({ scratch }) => {
    const dir = scratchDir();
    const registry = join(dir, 'registry');
    await mkdir(registry);
    const fromJson = [1, 2, 3].map((n) =>
      household({ householdId: `HH31011300000${n}`, members: [residentId(300 + n), residentId(310 + n)] }),
    );
    await writeFile(join(registry, 'a-households.jsonl'), jsonLines(fromJson));
    await writeFile(
      join(registry, 'b-households.csv'),
      'HH_ID,STREET_CODE,DISTRICT_CODE,MEMBER_CERTNOS,ANNUAL_INCOME,CATEGORIES,ASSET_TEST,VERSION,UPDATED_AT\n' +
        `HH310113000009,310113103,310113,${residentId(320)};${residentId(321)},48000,低收入,是,4,2024-03-01 00:00:00\n` +
        `HH310113000010,310113104,310113,${residentId(322)},,,,1,2024-03-01 00:00:00\n`,
    );

    const run = await backfill(
      ['--kind', 'households', '--mapping', join(EXAMPLES, 'registry.mapping.json'), 'registry'],
      backfillEnv(scratch),
      dir,
    );

    expect(run.code, run.stderr).toBe(0);
    expect(run.summary).toMatchObject({ read: 5, accepted: 5, rejected: 0 });
    const records = distinctRecords(await readTopic(scratch.kafka, `${scratch.namespace}households.v1`, 5));
    expect(records.map((r) => r.key).sort()).toEqual([
      'HH310113000001',
      'HH310113000002',
      'HH310113000003',
      'HH310113000009',
      'HH310113000010',
    ]);
    const fromCsv = records.find((r) => r.key === 'HH310113000009')!.value;
    expect(fromCsv).toMatchObject({
      streetCode: '310113103',
      members: [{ personId: pseudonymise(residentId(320)) }, { personId: pseudonymise(residentId(321)) }],
      annualDisposableIncome: '48000.00',
      categories: ['low-income'],
      assetTestPassed: true,
      version: 4,
      updatedAt: '2024-03-01T00:00:00+08:00',
    });
    expect(records.find((r) => r.key === 'HH310113000010')!.value).toMatchObject({
      annualDisposableIncome: null,
      categories: [],
      assetTestPassed: null,
    });
  });
});
