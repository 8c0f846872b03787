// docs/contracts.md documents the rules' stable codes (decision findings and warnings, CLI and library
// errors): a code added here must be written there too.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DECISION_WARNING_CODES, FINDING_CODES, RULES_ERROR_CODES } from '../src/index.ts';
import { EXIT } from '../src/cli/run.ts';

const doc = readFileSync(new URL('../../../docs/contracts.md', import.meta.url), 'utf8');
const quoted = new Set([...doc.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!));

describe('docs/contracts.md and the rules', () => {
  it('lists every finding code, warning code and rules error code', () => {
    const codes = [...FINDING_CODES, ...DECISION_WARNING_CODES, ...Object.keys(RULES_ERROR_CODES)];
    expect(codes.filter((c) => !quoted.has(c))).toEqual([]);
  });

  it('states the exit codes of warnline rules', () => {
    for (const code of Object.values(EXIT)) expect(doc).toMatch(new RegExp(`exit (code )?\`${code}\``, 'i'));
  });
});
