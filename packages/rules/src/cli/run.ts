// `warnline rules eval` and `warnline rules list` (docs/contracts.md "Rule evaluation"). All I/O is passed in,
// so tests drive the CLI in-process; main.ts wires it to the real process.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { ClaimSchema, HouseholdSchema, isCalendarDate, toRejections } from '@warnline/contracts';
import { evaluateCase } from '../case.ts';
import { listRuleSets, ruleSetNames, type RuleSetRegistry } from '../registry.ts';
import { loadRuleSetRegistry, type DataDirIo } from './data-dir.ts';
import { RulesError } from '../errors.ts';
import type { RuleSet } from '../rule-set-schema.ts';

export interface CliIo extends DataDirIo {
  readStdin(): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Exit codes: 0 done, 2 bad input or usage (reasons on stderr), 1 an internal error. */
export const EXIT = { OK: 0, INTERNAL: 1, BAD_INPUT: 2 } as const;

export const USAGE = `usage:
  warnline rules eval --rule-set NAME --as-of YYYY-MM-DD [--input FILE] [--data-dir DIR]
      Reads a case {"household": {...}, "claims": [...]} from FILE or standard input and prints one
      decision as JSON (docs/contracts.md). Exit 0; bad input: exit 2 with every reason on standard error.
      --data-dir: rule-set data files (*.json) merged over the built-in yearly figures.
  warnline rules list [--json]
      Rule sets, versions and effective dates.
`;

/** The case of docs/contracts.md: a household record and raw claims. */
export const CaseSchema = z.object({
  household: HouseholdSchema,
  claims: z.array(ClaimSchema),
});

function fieldPath(field: string): string {
  return field.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    // Never a stack trace: one line saying what failed.
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`warnline: internal error: ${message}\n`);
    return EXIT.INTERNAL;
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [group, command, ...rest] = argv;
  if (group === '--help' || group === '-h' || (group === 'rules' && (command === '--help' || command === '-h'))) {
    io.stdout(USAGE);
    return EXIT.OK;
  }
  if (group !== 'rules' || (command !== 'eval' && command !== 'list')) {
    io.stderr(`warnline: unknown command ${JSON.stringify([group, command].filter(Boolean).join(' '))}\n${USAGE}`);
    return EXIT.BAD_INPUT;
  }
  return command === 'list' ? list(rest, io) : evaluate(rest, io);
}

function parse(
  args: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
): { values: Record<string, string | boolean | undefined> } | { error: string } {
  try {
    const { values } = parseArgs({ args: [...args], options, strict: true, allowPositionals: false });
    return { values: values as Record<string, string | boolean | undefined> };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function list(args: readonly string[], io: CliIo): number {
  const parsed = parse(args, { json: { type: 'boolean' } });
  if ('error' in parsed) {
    io.stderr(`warnline: ${parsed.error}\n${USAGE}`);
    return EXIT.BAD_INPUT;
  }
  const sets = listRuleSets();
  if (parsed.values.json === true) {
    io.stdout(`${JSON.stringify(sets, null, 2)}\n`);
    return EXIT.OK;
  }
  const rows = sets.map(
    (s) =>
      `${s.ref.padEnd(22)} ${s.effectiveFrom} .. ${s.effectiveUntil ?? 'current   '}  ${s.region}  [${s.documents.join(', ')}]`,
  );
  io.stdout(`${['rule set               effective from .. until      region  [documents]', ...rows].join('\n')}\n`);
  return EXIT.OK;
}

async function evaluate(args: readonly string[], io: CliIo): Promise<number> {
  const reasons: string[] = [];
  const parsed = parse(args, {
    'rule-set': { type: 'string' },
    'as-of': { type: 'string' },
    input: { type: 'string' },
    'data-dir': { type: 'string' },
  });
  if ('error' in parsed) {
    io.stderr(`warnline: ${parsed.error}\n${USAGE}`);
    return EXIT.BAD_INPUT;
  }
  const name = parsed.values['rule-set'] as string | undefined;
  const asOf = parsed.values['as-of'] as string | undefined;
  const inputPath = parsed.values.input as string | undefined;
  const dataDir = parsed.values['data-dir'] as string | undefined;

  let registry: RuleSetRegistry | undefined;
  try {
    registry = await loadRuleSetRegistry(dataDir, io);
  } catch (error) {
    if (!(error instanceof RulesError)) throw error;
    for (const p of error.problems) reasons.push(`--data-dir: ${p.code}: ${p.field}: ${p.message}`);
  }

  if (asOf === undefined) reasons.push('--as-of: MISSING_FIELD: required (YYYY-MM-DD)');
  else if (!isCalendarDate(asOf))
    reasons.push(`--as-of: INVALID_DATE: ${JSON.stringify(asOf)} is not a calendar date YYYY-MM-DD`);
  if (name === undefined) reasons.push(`--rule-set: MISSING_FIELD: required (one of ${ruleSetNames().join(', ')})`);

  let ruleSet: RuleSet | undefined;
  if (name !== undefined && asOf !== undefined && isCalendarDate(asOf) && registry !== undefined) {
    try {
      ruleSet = registry.get(name, asOf);
    } catch (error) {
      if (!(error instanceof RulesError)) throw error;
      reasons.push(`--rule-set: ${error.code}: ${error.message}`);
    }
  } else if (name !== undefined && !ruleSetNames().includes(name)) {
    reasons.push(
      `--rule-set: RULE_SET_UNKNOWN: unknown rule set ${JSON.stringify(name)}; known: ${ruleSetNames().join(', ')}`,
    );
  }

  let text: string | undefined;
  try {
    text = inputPath === undefined ? await io.readStdin() : await io.readFile(inputPath);
  } catch (error) {
    reasons.push(
      `--input: UNREADABLE: cannot read ${JSON.stringify(inputPath)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }

  let caseInput: z.infer<typeof CaseSchema> | undefined;
  if (text !== undefined) {
    let json: unknown;
    let jsonOk = true;
    try {
      json = JSON.parse(text);
    } catch (error) {
      jsonOk = false;
      reasons.push(`(input): UNPARSEABLE: the case is not JSON (${(error as Error).message})`);
    }
    if (jsonOk) {
      const result = CaseSchema.safeParse(json);
      if (result.success) caseInput = result.data;
      else
        for (const r of toRejections(result.error.issues, json))
          reasons.push(`${fieldPath(r.field)}: ${r.code}: ${r.message}`);
    }
  }

  if (reasons.length > 0 || ruleSet === undefined || caseInput === undefined || asOf === undefined) {
    io.stderr(reasons.map((r) => `warnline: ${r}\n`).join(''));
    return EXIT.BAD_INPUT;
  }
  const decision = evaluateCase(ruleSet, asOf, caseInput);
  io.stdout(`${JSON.stringify(decision, null, 2)}\n`);
  return EXIT.OK;
}
