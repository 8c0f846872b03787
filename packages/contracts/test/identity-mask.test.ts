// Identity numbers in free text, the ways caseworkers write them, and the numbers a note may keep.
import { describe, expect, it } from 'vitest';
import { maskIdentityNumbersIn } from '../src/index.ts';

describe('maskIdentityNumbersIn', () => {
  it.each([
    ['户主身份证 31011519600114041x，电话 13800138000', '户主身份证 <18 chars masked>，电话 13800138000'],
    ['配偶 310115 19600115 0423 住院中', '配偶 <18 chars masked> 住院中'],
    ['310115-1960-0116-0437', '<18 chars masked>'],
    ['310115 19600114 041 X ok', '<18 chars masked> ok'],
    ['310115 19600114041X', '<18 chars masked>'],
    ['子女证号３１０１１５１９６００１１６０４３７。', '子女证号<18 chars masked>。'],
    ['３１０１１５　１９６００１１６　０４３７', '<18 chars masked>'],
    ['310115196001160437 13800138000', '<18 chars masked> 13800138000'],
    ['配偶 310115 19600115 0423 13800138000', '配偶 <18 chars masked> 13800138000'],
    ['旧证 310115600116043', '旧证 <15 chars masked>'],
    ['卡号 6222021234567890123', '卡号 <19 chars masked>'],
  ])('masks %s', (text, expected) => {
    expect(maskIdentityNumbersIn(text)).toBe(expected);
  });

  it.each([
    '见结算单 H31011000012-20240315-000123',
    '2024-03-15 13800138000',
    'tel 021-5555 1234 and 2024-03-15 12:00',
    '1 2 3 x',
    '已入户核实，符合支出型贫困二类',
  ])('keeps %s', (text) => {
    expect(maskIdentityNumbersIn(text)).toBe(text);
  });
});
