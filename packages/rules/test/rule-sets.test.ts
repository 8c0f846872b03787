// The rule sets as data: valid, cited by document number and section, settings explained, dated lookups.
import { describe, expect, it } from 'vitest';
import {
  entryAt,
  getRuleSet,
  levelRank,
  LEVELS,
  listRuleSets,
  pickClass,
  RuleSetSchema,
  RuleSetNotEffectiveError,
  ruleSetNames,
  UnknownRuleSetError,
  validateRuleSet,
  dayBefore,
  type RuleSet,
} from '../src/index.ts';
import type { RulesError } from '../src/index.ts';
import { shanghai20230701 } from '../src/rule-sets/shanghai.ts';

const CITATION =
  /^(沪府办规〔2022〕19号|沪府办规〔2021〕18号|日医保发〔2022〕7号)( [^;]+)?(; (沪府办规〔2022〕19号|日医保发〔2022〕7号)( [^;]+)?)*$/;

function walk(value: unknown, visit: (node: Record<string, unknown>, path: string) => void, path = ''): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, visit, `${path}[${i}]`));
  else if (value !== null && typeof value === 'object') {
    visit(value as Record<string, unknown>, path);
    for (const [k, v] of Object.entries(value)) walk(v, visit, `${path}.${k}`);
  }
}

const all: RuleSet[] = [getRuleSet('shanghai', '2024-06-30'), getRuleSet('rizhao', '2024-06-30')];

describe.each(all)('rule set $id@$version', (rs) => {
  it('cites documents by number and section, never by file name', () => {
    const citations: string[] = [];
    walk(rs, (node) => {
      for (const [k, v] of Object.entries(node))
        if (k.toLowerCase().endsWith('citation') && typeof v === 'string') citations.push(v);
    });
    expect(citations.length).toBeGreaterThan(10);
    for (const c of citations) expect(c).toMatch(CITATION);
    expect(JSON.stringify(rs)).not.toMatch(/\.txt|seeds\//);
  });

  it('every number has a clause, and every setting says why', () => {
    walk(rs, (node, path) => {
      if (typeof node.value === 'string') {
        expect(node.citation, path).toEqual(expect.any(String));
        if (node.setting !== undefined) expect((node.setting as { why: string }).why.length, path).toBeGreaterThan(20);
      }
    });
  });

  it('assistance never exceeds the self-pay: every ratio is within 0..1', () => {
    for (const c of rs.assistance.classes) {
      for (const r of [c.inpatient, c.outpatient, c.deductibleShare]) expect(Number(r.value)).toBeGreaterThanOrEqual(0);
      for (const r of [c.inpatient, c.outpatient]) expect(Number(r.value)).toBeLessThanOrEqual(1);
    }
  });
});

describe('registry', () => {
  it('lists rule sets with versions and effective dates', () => {
    expect(listRuleSets()).toEqual([
      expect.objectContaining({
        id: 'shanghai',
        version: '2023-07-01',
        ref: 'shanghai@2023-07-01',
        effectiveFrom: '2023-07-01',
        effectiveUntil: null,
      }),
      expect.objectContaining({ id: 'rizhao', version: '2022-02-28', ref: 'rizhao@2022-02-28', effectiveUntil: null }),
    ]);
    expect(ruleSetNames()).toEqual(['shanghai', 'rizhao']);
  });

  it('unknown name: UnknownRuleSetError, code RULE_SET_UNKNOWN', () => {
    expect(() => getRuleSet('beijing', '2024-01-01')).toThrow(UnknownRuleSetError);
    try {
      getRuleSet('beijing', '2024-01-01');
    } catch (error) {
      expect((error as RulesError).code).toBe('RULE_SET_UNKNOWN');
      expect((error as RulesError).message).toContain('shanghai');
    }
  });

  it('before the first version: RuleSetNotEffectiveError', () => {
    expect(() => getRuleSet('shanghai', '2023-06-30')).toThrow(RuleSetNotEffectiveError);
  });

  it('dated tables pick the entry in force; before the first entry is an error', () => {
    const rs = getRuleSet('shanghai', '2024-06-30');
    const table = rs.subsistenceLineMonthly!.table;
    expect(entryAt(table, '2023-06-30', 'line').value).toBe('1420');
    expect(entryAt(table, '2023-07-01', 'line').value).toBe('1510');
    expect(() => entryAt(table, '2022-06-30', 'line')).toThrow(expect.objectContaining({ code: 'PARAMETER_MISSING' }));
  });

  it('就高不重复: the first class in the list that holds a category', () => {
    const rs = getRuleSet('shanghai', '2024-06-30');
    expect(pickClass(rs, ['expenditure-poverty-2', 'special-relief'])!.key).toBe('special-relief');
    expect(pickClass(rs, [])).toBeNull();
  });

  it('levels are ordered none < watch < warning < action', () => {
    expect(LEVELS).toEqual(['none', 'watch', 'warning', 'action']);
    expect(levelRank('action')).toBeGreaterThan(levelRank('warning'));
  });
});

describe('the schema refuses bad rule-set data', () => {
  it('a category in two classes, unsorted tables, kind 1 without a subsistence line', () => {
    const bad = structuredClone(shanghai20230701);
    bad.assistance.classes[1]!.categories = ['subsistence'];
    bad.cityPerCapitaIncome.table.reverse();
    bad.subsistenceLineMonthly = null;
    const result = RuleSetSchema.safeParse(bad);
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'assistance.classes.1.categories',
        'cityPerCapitaIncome.table',
        'subsistenceLineMonthly',
      ]),
    );
  });

  it('validateRuleSet throws RULE_SET_INVALID with every problem', () => {
    const bad = structuredClone(shanghai20230701);
    bad.version = '2023-02-30';
    bad.assistance.classes[0]!.inpatient.value = '90%';
    expect(() => validateRuleSet(bad)).toThrow(
      expect.objectContaining({
        code: 'RULE_SET_INVALID',
        problems: expect.arrayContaining([
          expect.objectContaining({ field: 'version' }),
          expect.objectContaining({ field: 'assistance.classes.0.inpatient.value' }),
        ]),
      }),
    );
    expect(dayBefore('2024-03-01')).toBe('2024-02-29');
    expect(dayBefore('2024-01-01')).toBe('2023-12-31');
  });

  it('approaching needs an expenditure-poverty test', () => {
    const bad = structuredClone(shanghai20230701);
    bad.expenditurePoverty = null;
    const result = RuleSetSchema.safeParse(bad);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain('monitoring.approachingShare');
  });
});
