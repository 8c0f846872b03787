// The worked example of README.md stays true: examples/case-shanghai.json gives examples/decision-shanghai.json.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CaseSchema } from '../src/cli/run.ts';
import { evaluateCase, getRuleSet } from '../src/index.ts';

const read = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../examples/${name}`, import.meta.url), 'utf8'));

describe('README worked example (沪府办规〔2022〕19号 四, 二(二)4)', () => {
  it('evaluates to the decision shown', () => {
    const input = CaseSchema.parse(read('case-shanghai.json'));
    expect(evaluateCase(getRuleSet('shanghai', '2024-06-30'), '2024-06-30', input)).toEqual(
      read('decision-shanghai.json'),
    );
  });
});
