// Rizhao: 日医保发〔2022〕7号 with its annex 2, the Shandong treatment list (山东省医疗保障待遇清单 2020版).
// The assistance of 附件2 二(三)4.2: deductibles as a share of last year's per-capita disposable income, the 70%
// floor, the 10,000 yuan cap floor, outpatient chronic/special-disease assistance sharing the inpatient cap.
import type { RuleSetInput } from '../rule-set-schema.ts';

const DOC = '日医保发〔2022〕7号';
const ASSIST = `${DOC} 附件2 二(三)4.2`;

const incomeSetting = (year: number, value: string) => ({
  why:
    `${ASSIST} bases deductibles on the 统筹地区 (Rizhao) per-capita disposable income of last year. Rizhao's own ` +
    'figure is not in the documents and could not be found here; the Shandong provincial figure is used as a proxy ' +
    'until the Rizhao statistics bulletin figure is entered.',
  source: `山东省${year}年国民经济和社会发展统计公报, 全省居民人均可支配收入 ${value} yuan (proxy for Rizhao; verify)`,
});

const capFloor = () => [
  {
    from: '2022-02-28',
    value: '10000',
    citation: ASSIST,
    // The floor is published; the Rizhao amount, which this value stands for, is not known here.
    confirmed: false,
    setting: {
      why: '医疗救助年度最高限额不低于1万元: the document sets a floor only; the rule set uses the floor until the Rizhao amount is entered.',
    },
  },
];

const chronicOutpatient = (value: string) => ({
  value,
  citation: ASSIST,
  setting: {
    why:
      '附件2 二(三)4.2 grants outpatient assistance to targets with chronic disease needing long-term medication or ' +
      'long-term outpatient treatment of a serious disease, with the cap shared with inpatient (合并计算); no separate ' +
      'ratio. Claims carry no 慢特病 flag, so outpatient self-pay is assisted at the inpatient ratio (may overestimate ' +
      'for ordinary outpatient visits).',
  },
});

export const rizhao20220228: RuleSetInput = {
  id: 'rizhao',
  version: '2022-02-28',
  region: '山东省日照市 Rizhao, Shandong',
  title: '日照市医疗保障待遇清单 (Rizhao treatment list, Shandong 2020 edition)',
  documents: [
    {
      number: DOC,
      title: '日照市贯彻落实山东省医疗保障待遇清单三年行动方案（2021-2023年）; 附件2 山东省医疗保障待遇清单（2020版）',
      role: 'assistance deductibles, ratios, caps; effective on issue (自印发之日起执行, 2022-02-28)',
    },
  ],
  window: {
    months: 12,
    citation: `${DOC} 附件2 二(三)`,
    note:
      'The Rizhao documents define no 12-month test; the monitoring window of docs/contracts.md (12 calendar months ending ' +
      'with the month of asOf) is used for the burden. Deductibles and caps run by calendar year (附件2 二(三): 按医疗年度（自然年度）计算).',
  },
  cityPerCapitaIncome: {
    description:
      '统筹地区上年居民人均可支配收入 (per-capita disposable income of residents, previous year), yuan per year',
    citation: ASSIST,
    table: [
      {
        from: '2021-01-01',
        year: 2020,
        value: '32886',
        citation: ASSIST,
        confirmed: false,
        setting: incomeSetting(2020, '32,886'),
      },
      {
        from: '2022-01-01',
        year: 2021,
        value: '35705',
        citation: ASSIST,
        confirmed: false,
        setting: incomeSetting(2021, '35,705'),
      },
      {
        from: '2023-01-01',
        year: 2022,
        value: '37560',
        citation: ASSIST,
        confirmed: false,
        setting: incomeSetting(2022, '37,560'),
      },
      {
        from: '2024-01-01',
        year: 2023,
        value: '39890',
        citation: ASSIST,
        confirmed: false,
        setting: incomeSetting(2023, '39,890'),
      },
    ],
  },
  subsistenceLineMonthly: null,
  expenditurePoverty: null,
  monitoring: {
    citation: `${DOC} 附件2 二(三)4.3`,
    approachingShare: null,
    highBurdenShareTargets: {
      value: '0.5',
      citation: `${DOC} 附件2 二(三)4.3`,
      setting: {
        why:
          '4.3 helps targets whose personal burden stays heavy after the three tiers (政策范围内个人负担仍然较重) without a ' +
          "number. Local warning systems set the line for assistance targets at 50% of last year's per-capita disposable income.",
      },
    },
    highBurdenShareOthers: {
      value: '1',
      citation: `${DOC} 附件2 二(三)4.3`,
      setting: {
        why: "For people who are not assistance targets, local warning systems use 100% of last year's per-capita disposable income.",
      },
    },
    basis: {
      per: 'person',
      why: "Assistance and its caps are per person (附件2 二(三)4.2); the heavy-burden line is tested on each current member's 12-month personal burden.",
    },
    charityCitation: `${DOC} 三(三)`,
    charityWhy:
      '三(三) asks to lighten burdens the insurance does not reach through charity (鼓励引导慈善捐赠等社会力量). A member is ' +
      'referred when the personal burden left after the assistance estimate is still at or above the HIGH_BURDEN line.',
  },
  levels: {
    EXPENDITURE_POVERTY_1: 'action',
    EXPENDITURE_POVERTY_2: 'action',
    APPROACHING_EXPENDITURE_POVERTY: 'warning',
    HIGH_BURDEN: 'watch',
    CHARITY_REFERRAL: 'watch',
    why:
      'The Rizhao documents define no expenditure-type poverty test, so no finding reaches action here; heavy burden and ' +
      'charity referral are watch, as in Shanghai.',
  },
  assistance: {
    citation: ASSIST,
    precedenceCitation: ASSIST,
    classes: [
      {
        key: 'subsistence',
        name: '低保对象、特困人员',
        categories: ['subsistence', 'extreme-poverty'],
        inpatient: {
          value: '0.70',
          citation: ASSIST,
          setting: {
            why: '按不低于70%比例给予救助: the document sets a floor; the city ratio is not in the documents, so the floor is used.',
          },
        },
        outpatient: chronicOutpatient('0.70'),
        deductibleShare: { value: '0', citation: ASSIST },
        yearlyCap: capFloor(),
      },
      {
        key: 'orphan',
        name: '孤儿、困境儿童 (treated as 低保)',
        categories: ['orphan', 'child-in-distress'],
        inpatient: {
          value: '0.70',
          citation: ASSIST,
          setting: {
            why: 'The Shandong list does not name them; they are treated like 低保对象 (as Shanghai does in 沪府办规〔2022〕19号 二(二)4): no deductible, the 70% floor.',
          },
        },
        outpatient: chronicOutpatient('0.70'),
        deductibleShare: { value: '0', citation: ASSIST, setting: { why: 'Treated like 低保对象: no deductible.' } },
        yearlyCap: capFloor(),
      },
      {
        key: 'low-income',
        name: '低收入家庭成员 (and 特殊救济对象, treated alike)',
        categories: ['low-income', 'special-relief'],
        inpatient: {
          value: '0.65',
          citation: ASSIST,
          setting: {
            why: '其他救助对象救助水平原则上略低于低保对象, ratio left to the city: 5 points below the 70% used for 低保. 特殊救济对象 is a Shanghai category with no Shandong counterpart; treated as low-income.',
          },
        },
        outpatient: chronicOutpatient('0.65'),
        deductibleShare: {
          value: '0.10',
          citation: ASSIST,
          setting: { why: '按统筹地区上年居民人均可支配收入10%左右确定: "about 10%", the rule set uses exactly 10%.' },
        },
        yearlyCap: capFloor(),
      },
      {
        key: 'illness-impoverished',
        name: '因病致贫家庭重病患者 (expenditure-type poverty categories)',
        categories: ['expenditure-poverty-1', 'expenditure-poverty-2'],
        inpatient: {
          value: '0.65',
          citation: ASSIST,
          setting: {
            why: 'Ratio left to the city and "slightly below 低保": 65%, as for low-income. The registry categories expenditure-poverty-1/2 are read as households impoverished by illness.',
          },
        },
        outpatient: chronicOutpatient('0.65'),
        deductibleShare: {
          value: '0.25',
          citation: ASSIST,
          setting: { why: '因病致贫家庭重病患者按25%左右确定: "about 25%", the rule set uses exactly 25%.' },
        },
        yearlyCap: capFloor(),
      },
    ],
    capScope: {
      per: 'person',
      period: 'calendar-year',
      sharedAcrossVisitClasses: true,
      citation: ASSIST,
      why:
        '医疗救助年度最高限额 is per assistance target, and 门诊慢特病年度医疗救助限额与住院医疗救助限额合并计算: one cap for ' +
        'inpatient and outpatient; yearly amounts run by the natural year (附件2 二(三), 按医疗年度（自然年度）计算).',
    },
    deductibleScope: {
      per: 'person',
      period: 'calendar-year',
      sharedAcrossVisitClasses: true,
      citation: ASSIST,
      why: 'One yearly deductible per target for the natural year (附件2 二(三)), met by inpatient and outpatient self-pay together.',
    },
    orderWithinMonth:
      'Buckets are monthly: within a calendar year months are taken in order, inpatient before outpatient in a month, ' +
      'so the deductible and the cap are drawn in a fixed order and the estimate does not depend on claim order.',
  },
};
