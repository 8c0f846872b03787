// The CSV side of the backfill without any service: line parsing (quotes), the mapping file's schema, and
// rows turned into the contract's objects.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convert, csvRowMapper, parseCsvLine, parseCsvMapping } from '../../src/csv.ts';

const example = (name: string) =>
  parseCsvMapping(readFileSync(new URL(`../../examples/${name}.mapping.json`, import.meta.url), 'utf8'));

describe('parseCsvLine', () => {
  it('splits on the delimiter and keeps empty cells', () => {
    expect(parseCsvLine('a,,b,')).toEqual(['a', '', 'b', '']);
    expect(parseCsvLine('a;b', ';')).toEqual(['a', 'b']);
  });

  it('reads quoted cells with delimiters and doubled quotes inside', () => {
    expect(parseCsvLine('"a,b","say ""hi""",c')).toEqual(['a,b', 'say "hi"', 'c']);
  });

  it('answers null for unbalanced quotes instead of misreading the row', () => {
    expect(parseCsvLine('"a,b')).toBeNull();
  });
});

describe('parseCsvMapping', () => {
  it('accepts the documented examples', () => {
    expect(example('settlement-table').fields.claimId).toBe('SETL_ID');
    expect(example('registry').delimiter).toBe(',');
  });

  it('refuses text that is not JSON and unknown options with MAPPING_INVALID', () => {
    expect(() => parseCsvMapping('{')).toThrow(expect.objectContaining({ code: 'MAPPING_INVALID' }));
    expect(() => parseCsvMapping('{"fields":{"claimId":{"column":"A","trim":true}}}')).toThrow(
      expect.objectContaining({ code: 'MAPPING_INVALID' }),
    );
  });
});

describe('convert', () => {
  const spec = { column: 'X', as: 'string', empty: 'absent' } as const;

  it('turns export spellings of dates and local times into the contract', () => {
    expect(convert('20240315', { ...spec, as: 'date' })).toBe('2024-03-15');
    expect(convert('2024-03-15 10:20:30', { ...spec, as: 'date' })).toBe('2024-03-15');
    expect(convert('2024-03-15 10:20:30', { ...spec, as: 'shanghai-instant' })).toBe('2024-03-15T10:20:30+08:00');
    expect(convert('2024-03-15T10:20:30Z', { ...spec, as: 'shanghai-instant' })).toBe('2024-03-15T10:20:30Z');
  });

  it('passes a cell that does not convert on unchanged, for the validation to refuse with its own code', () => {
    expect(convert('3rd', { ...spec, as: 'integer' })).toBe('3rd');
    expect(convert('maybe', { ...spec, as: 'boolean' })).toBe('maybe');
    expect(convert('15/03/2024', { ...spec, as: 'date' })).toBe('15/03/2024');
  });

  it('reads booleans, maps values and splits lists', () => {
    expect(convert('是', { ...spec, as: 'boolean' })).toBe(true);
    expect(convert('N', { ...spec, as: 'boolean' })).toBe(false);
    expect(convert('21', { ...spec, map: { '21': 'inpatient' } })).toBe('inpatient');
    expect(convert('低保; 特困', { ...spec, split: ';', map: { 低保: 'subsistence' } })).toEqual([
      'subsistence',
      '特困',
    ]);
    expect(convert('A;B', { ...spec, as: 'members', split: ';' })).toEqual([{ personId: 'A' }, { personId: 'B' }]);
  });

  it('leaves an empty cell out, or makes it null or an empty list when the mapping says so', () => {
    expect(convert(' ', spec)).toBeUndefined();
    expect(convert('', { ...spec, empty: 'null' })).toBeNull();
    expect(convert('', { ...spec, split: ';' })).toEqual([]);
  });
});

describe('csvRowMapper', () => {
  const mapping = parseCsvMapping(
    JSON.stringify({
      fields: {
        claimId: 'ID',
        'institution.code': 'HOSP',
        'institution.level': { column: 'LV', as: 'integer' },
        'amounts.cash': 'CASH',
      },
      constants: { type: 'settlement' },
    }),
  );

  it('builds nested contract objects from the header names, in any column order', () => {
    const mapper = csvRowMapper(mapping, '\uFEFFCASH,ID,LV,HOSP,EXTRA');
    expect(mapper.map('12.50,C1,3,H1,ignored')).toEqual({
      type: 'settlement',
      claimId: 'C1',
      institution: { code: 'H1', level: 3 },
      amounts: { cash: '12.50' },
    });
  });

  it('answers null for a row with another number of cells than the header', () => {
    expect(csvRowMapper(mapping, 'CASH,ID,LV,HOSP').map('1,2,3')).toBeNull();
  });

  it('refuses a header without a mapped column, or with a column twice (CSV_HEADER_INVALID)', () => {
    expect(() => csvRowMapper(mapping, 'ID,LV,HOSP')).toThrow(expect.objectContaining({ code: 'CSV_HEADER_INVALID' }));
    expect(() => csvRowMapper(mapping, 'ID,ID,CASH,LV,HOSP')).toThrow(
      expect.objectContaining({ code: 'CSV_HEADER_INVALID' }),
    );
  });
});
