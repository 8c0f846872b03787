// Reads a rule-set data directory: every `*.json` file in it, in name order, parsed, handed to the pure
// registry. Used by the CLI (`--data-dir`) and by the services that evaluate (RULE_SET_DATA_DIR), so both
// read the same files the same way. The I/O is passed in; `nodeDataDirIo` is the real file system.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RulesError, type RulesProblem } from '../errors.ts';
import { createRuleSetRegistry, type RuleSetRegistry } from '../registry.ts';
import type { RuleSetDataFile } from '../rule-set-data.ts';

export interface DataDirIo {
  readDir(path: string): Promise<string[]>;
  readFile(path: string): Promise<string>;
}

export const nodeDataDirIo: DataDirIo = {
  readDir: (path) => readdir(path),
  readFile: (path) => readFile(path, 'utf8'),
};

function failed(problems: RulesProblem[]): RulesError {
  return new RulesError(
    'RULE_SET_DATA_INVALID',
    `rule-set data is invalid: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
    problems,
  );
}

const why = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** The JSON files of `dir`, in name order (later files win where they set the same entry), and what failed. */
async function readAll(dir: string, io: DataDirIo): Promise<{ files: RuleSetDataFile[]; problems: RulesProblem[] }> {
  let names: string[];
  try {
    names = (await io.readDir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (error) {
    const message = `cannot read the directory (${why(error)})`;
    return { files: [], problems: [{ code: 'RULE_SET_DATA_INVALID', field: dir, message }] };
  }
  const problems: RulesProblem[] = [];
  const files: RuleSetDataFile[] = [];
  for (const name of names) {
    let text: string;
    try {
      text = await io.readFile(join(dir, name));
    } catch (error) {
      problems.push({
        code: 'RULE_SET_DATA_INVALID',
        field: `${name}: (data)`,
        message: `cannot read (${why(error)})`,
      });
      continue;
    }
    try {
      files.push({ name, data: JSON.parse(text) as unknown });
    } catch (error) {
      problems.push({
        code: 'RULE_SET_DATA_INVALID',
        field: `${name}: (data)`,
        message: `not JSON (${(error as Error).message})`,
      });
    }
  }
  return { files, problems };
}

/**
 * The built-in rule sets with the data files of `dir` merged in; with no `dir`, the built-in ones.
 * @throws RulesError RULE_SET_DATA_INVALID listing every problem of every file (unreadable, not JSON, not
 * the schema), or RULE_SET_INVALID.
 */
export async function loadRuleSetRegistry(dir?: string, io: DataDirIo = nodeDataDirIo): Promise<RuleSetRegistry> {
  if (dir === undefined) return createRuleSetRegistry();
  const { files, problems } = await readAll(dir, io);
  try {
    const registry = createRuleSetRegistry(files);
    if (problems.length === 0) return registry;
  } catch (error) {
    if (!(error instanceof RulesError) || error.code !== 'RULE_SET_DATA_INVALID') throw error;
    problems.push(...error.problems);
  }
  throw failed(problems.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0)));
}
