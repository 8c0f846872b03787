// The shapes several services check: one definition each, equal to the schemas they stand for.
import { describe, expect, it } from 'vitest';
import { AMOUNT_FIELDS, AmountsSchema, DISTRICT_CODE, STREET_CODE } from '../src/index.ts';

describe('shared shapes', () => {
  it('lists the eight amount fields of the schema, in contract order', () => {
    expect([...AMOUNT_FIELDS]).toEqual(Object.keys(AmountsSchema.shape));
  });

  it('accepts 9-digit street codes and 6-digit district codes only', () => {
    expect(STREET_CODE.test('310113103')).toBe(true);
    for (const bad of ['31011310', '3101131030', '31011310a', ' 310113103']) expect(STREET_CODE.test(bad)).toBe(false);
    expect(DISTRICT_CODE.test('310113')).toBe(true);
    for (const bad of ['31011', '3101130', 'x10113']) expect(DISTRICT_CODE.test(bad)).toBe(false);
  });
});
