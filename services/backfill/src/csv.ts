// CSV exports (a settlement table, a registry extract) to the contract's JSON, by a column mapping the
// operator writes once per export layout. Pure: text in, objects out. The mapping only moves and converts
// cells; whether the result is a valid claim or household is decided by ingest's validation afterwards, so a
// cell that does not convert is passed on as it is and refused there with the contract's own code.
import { z } from 'zod';
import { backfillError } from '@warnline/contracts';

const FieldSpecSchema = z.union([
  z.string().min(1),
  z
    .object({
      /** Header name of the column. */
      column: z.string().min(1),
      /**
       * Conversion of the cell: `string` (default); `integer`; `boolean` (true/false, 1/0, Y/N, 是/否);
       * `date` (`YYYY-MM-DD…` or `YYYYMMDD…` → `YYYY-MM-DD`); `shanghai-instant` (`YYYY-MM-DD HH:mm:ss` →
       * `YYYY-MM-DDTHH:mm:ss+08:00`); `members` (ids → `[{ personId }]`, with `split`).
       */
      as: z.enum(['string', 'integer', 'boolean', 'date', 'shanghai-instant', 'members']).default('string'),
      /** Separator of a list cell (`categories`, `members`), e.g. `;`. */
      split: z.string().min(1).optional(),
      /** Cell value → contract value (e.g. med_type `21` → `inpatient`); a value not listed is passed on as is. */
      map: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      /** What an empty cell becomes: the field is left out (`absent`, default) or `null` (unknown income). */
      empty: z.enum(['absent', 'null']).default('absent'),
    })
    .strict(),
]);

export const CsvMappingSchema = z
  .object({
    /** One character between cells. Default `,`. */
    delimiter: z.string().length(1).default(','),
    /** Contract field (dotted path, `amounts.cash`) → its column, or a column with a conversion. */
    fields: z.record(z.string().min(1), FieldSpecSchema),
    /** Contract field → a value every row gets (e.g. `type: "settlement"` for an export of settlements only). */
    constants: z.record(z.string().min(1), z.unknown()).default({}),
  })
  .strict();

export type CsvMapping = z.infer<typeof CsvMappingSchema>;
type FieldSpec = z.infer<typeof FieldSpecSchema>;

/** The mapping file's text → a mapping, or MAPPING_INVALID naming the first problem (never the file's values). */
export function parseCsvMapping(text: string): CsvMapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw backfillError('MAPPING_INVALID', { message: 'the mapping file is not JSON' });
  }
  const parsed = CsvMappingSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw backfillError('MAPPING_INVALID', { message: `mapping ${issue.path.join('.')}: ${issue.message}` });
  }
  return parsed.data;
}

/**
 * One CSV line → its cells (RFC 4180 quoting: `"a,b"`, `""` for a quote inside). `null` when the quotes do
 * not balance: a cell with a line break is not supported, and such a row is rejected rather than misread.
 */
export function parseCsvLine(line: string, delimiter = ','): string[] | null {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
    i++;
  }
  if (quoted) return null;
  cells.push(cell);
  return cells;
}

/** Turns rows of one CSV file into contract objects: built once per file from its header line. */
export interface CsvRowMapper {
  /** The row's object, or `null` when the row has another number of cells than the header (or bad quotes). */
  map(line: string): Record<string, unknown> | null;
}

export function csvRowMapper(mapping: CsvMapping, headerLine: string): CsvRowMapper {
  const header = parseCsvLine(headerLine.replace(/^\uFEFF/, ''), mapping.delimiter)?.map((h) => h.trim());
  if (!header) throw backfillError('CSV_HEADER_INVALID', { message: 'the CSV header line has unbalanced quotes' });
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if (index.has(name)) throw backfillError('CSV_HEADER_INVALID', { message: `column ${name} appears twice` });
    index.set(name, i);
  });
  const columns = Object.entries(mapping.fields).map(([path, spec]) => {
    const s = normalise(spec);
    const at = index.get(s.column);
    if (at === undefined)
      throw backfillError('CSV_HEADER_INVALID', { message: `the header has no column ${s.column} (for ${path})` });
    return { path: path.split('.'), spec: s, at };
  });
  const constants = Object.entries(mapping.constants).map(([path, value]) => ({ path: path.split('.'), value }));
  return {
    map(line) {
      const cells = parseCsvLine(line, mapping.delimiter);
      if (!cells || cells.length !== header.length) return null;
      const out: Record<string, unknown> = {};
      for (const { path, value } of constants) setPath(out, path, structuredClone(value));
      for (const { path, spec, at } of columns) {
        const value = convert(cells[at]!, spec);
        if (value !== undefined) setPath(out, path, value);
      }
      return out;
    },
  };
}

type Spec = Exclude<FieldSpec, string>;

function normalise(spec: FieldSpec): Spec {
  return typeof spec === 'string' ? { column: spec, as: 'string', empty: 'absent' } : spec;
}

const TRUE = new Set(['true', '1', 'y', 'yes', '是']);
const FALSE = new Set(['false', '0', 'n', 'no', '否']);

/** One cell as the contract wants it; `undefined` leaves the field out. */
export function convert(raw: string, spec: Spec): unknown {
  const cell = raw.trim();
  if (cell === '' && spec.empty === 'null') return null;
  // An empty list cell is an empty list (a household without categories); any other empty cell is no value.
  if (cell === '') return spec.split === undefined ? undefined : [];
  if (spec.split !== undefined) {
    const items = cell
      .split(spec.split)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => (spec.map && s in spec.map ? spec.map[s] : s));
    return spec.as === 'members' ? items.map((personId) => ({ personId })) : items;
  }
  if (spec.map && cell in spec.map) return spec.map[cell];
  switch (spec.as) {
    case 'integer':
      return /^-?\d{1,15}$/.test(cell) ? Number(cell) : cell;
    case 'boolean': {
      const lower = cell.toLowerCase();
      return TRUE.has(lower) ? true : FALSE.has(lower) ? false : cell;
    }
    case 'date':
      return isoDate(cell) ?? cell;
    case 'shanghai-instant':
      return shanghaiInstant(cell) ?? cell;
    case 'members':
      return [{ personId: cell }];
    default:
      return cell;
  }
}

/** `2024-03-15`, `2024-03-15 10:20:30`, `20240315`, `2024/03/15` → `2024-03-15`; anything else undefined. */
function isoDate(cell: string): string | undefined {
  const m = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})(?:$|[ T])/.exec(cell);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** A local Shanghai time without offset gets `+08:00`; one with an offset is kept. */
function shanghaiInstant(cell: string): string | undefined {
  if (/[zZ]$|[+-]\d{2}:\d{2}$/.test(cell)) return cell;
  const m = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(cell);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00` : undefined;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}
