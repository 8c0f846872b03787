// Shanghai: 沪府办规〔2022〕19号 (major and serious illness insurance and assistance), with the employee
// outpatient cost sharing of 沪府办规〔2021〕18号. Every number names its clause; `setting` marks a number
// the documents do not publish, with the default chosen and why.
import type { RuleSetInput } from '../rule-set-schema.ts';

const DOC = '沪府办规〔2022〕19号';
const OUTPATIENT_DOC = '沪府办规〔2021〕18号';

const capSetting = {
  why:
    `${DOC} 二(二)4 sets yearly caps by class (分类设定…年度救助限额) and has the city adjust them yearly, but publishes ` +
    'no amount. Default 80000 yuan per person per calendar year for every class: about one year of the city per-capita ' +
    'disposable income, so the estimate rarely stops at a cap the real policy may not have. Replace with the figure ' +
    'of 市医保局/市财政局 when known.',
};

/** The yearly cap, one table per class so a class can change on its own. */
const cap = (): RuleSetInput['assistance']['classes'][number]['yearlyCap'] => [
  { from: '2022-01-01', value: '80000', citation: `${DOC} 二(二)4`, setting: capSetting, confirmed: false },
];

const noDeductible = { value: '0', citation: `${DOC} 二(二)4` } as const;

export const shanghai20230701: RuleSetInput = {
  id: 'shanghai',
  version: '2023-07-01',
  region: '上海市 Shanghai',
  title: '上海市重特大疾病医疗保险和救助 (Shanghai major and serious illness insurance and assistance)',
  documents: [
    {
      number: DOC,
      title: '关于本市健全重特大疾病医疗保险和救助制度的实施意见',
      role: 'assistance targets, ratios, early warning, expenditure-type poverty',
    },
    {
      number: OUTPATIENT_DOC,
      title: '健全上海市职工基本医疗保险门诊共济保障机制实施办法',
      role: 'employee outpatient/emergency cost sharing from 2023-07-01',
    },
  ],
  window: {
    months: 12,
    citation: `${DOC} 四`,
    note:
      '四 counts the 12 months before the month of application (申请救助之月前12个月). The monitoring window of ' +
      'docs/contracts.md ends with the month of asOf so this month counts at once; for an application in month M, ' +
      'evaluate as of the last day of month M-1 to get exactly the 12 months of 四.',
  },
  cityPerCapitaIncome: {
    description:
      '上年度全市居民人均可支配收入 (city per-capita disposable income of residents, previous year), yuan per year',
    citation: `${DOC} 四`,
    table: [
      {
        from: '2022-01-01',
        year: 2021,
        confirmed: false,
        value: '78027',
        citation: `${DOC} 四`,
        setting: {
          why: '四 names the measure; the statistics bureau publishes the figure each January.',
          source:
            '上海市2021年国民经济和社会发展统计公报 (78,027 yuan; figure not re-checked against the bulletin here: verify)',
        },
      },
      {
        from: '2023-01-01',
        year: 2022,
        confirmed: true,
        value: '79610',
        citation: `${DOC} 四`,
        setting: {
          why: '四 names the measure; the statistics bureau publishes the figure each January.',
          source:
            '上海市2022年国民经济和社会发展统计公报 (79,610 yuan; also reported by the Shanghai Information Office, 2023-02-06)',
        },
      },
      {
        from: '2024-01-01',
        year: 2023,
        confirmed: false,
        value: '84834',
        citation: `${DOC} 四`,
        setting: {
          why: '四 names the measure; the statistics bureau publishes the figure each January.',
          source:
            '上海市2023年国民经济和社会发展统计公报 (84,834 yuan; figure not re-checked against the bulletin here: verify)',
        },
      },
      {
        from: '2025-01-01',
        year: 2024,
        confirmed: false,
        value: '88366',
        citation: `${DOC} 四`,
        setting: {
          why: '四 names the measure; the statistics bureau publishes the figure each January.',
          source:
            '上海市2024年国民经济和社会发展统计公报 (88,366 yuan; figure not re-checked against the bulletin here: verify)',
        },
      },
    ],
  },
  subsistenceLineMonthly: {
    description: '本市城乡居民最低生活保障标准 (subsistence line), yuan per person per month',
    table: [
      {
        from: '2022-07-01',
        value: '1420',
        confirmed: true,
        citation: `${DOC} 四`,
        setting: {
          why: '四 compares with the city subsistence line; civil affairs adjusts it each July.',
          source: '上海市民政局 2022 adjustment: 1,420 yuan per person per month from 2022-07-01',
        },
      },
      {
        from: '2023-07-01',
        value: '1510',
        confirmed: true,
        citation: `${DOC} 四`,
        setting: {
          why: '四 compares with the city subsistence line; civil affairs adjusts it each July.',
          source: '上海市民政局 2023 adjustment: 1,510 yuan per person per month from 2023-07-01',
        },
      },
      {
        from: '2024-07-01',
        value: '1550',
        confirmed: false,
        citation: `${DOC} 四`,
        setting: {
          why: '四 compares with the city subsistence line; civil affairs adjusts it each July.',
          source:
            '上海市民政局 2024 adjustment: 1,550 yuan per person per month from 2024-07-01 (not re-checked here: verify)',
        },
      },
    ],
  },
  expenditurePoverty: {
    citation: `${DOC} 四`,
    kind2Share: { value: '0.40', citation: `${DOC} 四` },
    kind1Citation: `${DOC} 四`,
    preconditionsCitation: `${DOC} 四`,
  },
  monitoring: {
    citation: `${DOC} 二(三)`,
    approachingShare: {
      value: '0.30',
      citation: `${DOC} 二(三)`,
      setting: {
        why:
          '二(三) asks for monitoring standards by class (分类设定预警监测标准) without numbers. 30% of household income is ' +
          'three quarters of the 40% line of 四: it leaves the street office time to investigate (细致摸排) before the test is met.',
      },
    },
    highBurdenShareTargets: {
      value: '0.5',
      citation: `${DOC} 二(三)`,
      setting: {
        why:
          '二(三) watches assistance targets whose yearly personal burden stays heavy after insurance. Local warning ' +
          "systems set the line for known assistance targets at 50% of last year's per-capita disposable income.",
      },
    },
    highBurdenShareOthers: {
      value: '1',
      citation: `${DOC} 二(三)`,
      setting: {
        why:
          '二(三) also watches people at risk of poverty due to illness who are not yet targets. Local warning systems ' +
          "set their line at 100% of last year's per-capita disposable income.",
      },
    },
    basis: {
      per: 'person',
      why: "二(三) monitors the yearly medical burden of a person (个人年度医疗费用负担): the line is tested on each current member's 12-month personal burden.",
    },
    charityCitation: `${DOC} 二(四)1`,
    charityWhy:
      '二(四)1 refers high-cost people found by monitoring who are not covered by assistance or not helped enough to ' +
      'charities. A member is referred when the personal burden left after the assistance estimate is still at or above ' +
      'the HIGH_BURDEN line (for a non-target the estimate is 0, so this is the HIGH_BURDEN test itself).',
  },
  levels: {
    EXPENDITURE_POVERTY_1: 'action',
    EXPENDITURE_POVERTY_2: 'action',
    APPROACHING_EXPENDITURE_POVERTY: 'warning',
    HIGH_BURDEN: 'watch',
    CHARITY_REFERRAL: 'watch',
    why:
      'action = a test of 四 is met, the household can be recognised now; warning = close to the 40% line; watch = a ' +
      'heavy absolute burden or a charity referral for the street office to look at (二(三), 二(四)1).',
  },
  assistance: {
    citation: `${DOC} 二(二)4`,
    precedenceCitation: `${DOC} 二(一)`,
    classes: [
      {
        key: 'subsistence',
        name: '低保对象; 社会散居孤儿、困境儿童基本生活保障对象 (参照低保)',
        categories: ['subsistence', 'orphan', 'child-in-distress'],
        inpatient: { value: '0.90', citation: `${DOC} 二(二)4` },
        outpatient: { value: '0.60', citation: `${DOC} 二(二)4` },
        deductibleShare: noDeductible,
        yearlyCap: cap(),
      },
      {
        key: 'extreme-poverty',
        name: '特困人员',
        categories: ['extreme-poverty'],
        inpatient: {
          value: '0.90',
          citation: `${DOC} 二(一)`,
          setting: {
            why: '二(一) leaves 特困人员 to joint handling with civil affairs and sets no ratio; they are at least as needy as 低保对象, so the 低保 ratio of 二(二)4 is used.',
          },
        },
        outpatient: {
          value: '0.60',
          citation: `${DOC} 二(一)`,
          setting: { why: 'As for inpatient: the 低保 outpatient/emergency ratio of 二(二)4.' },
        },
        deductibleShare: noDeductible,
        yearlyCap: cap(),
      },
      {
        key: 'special-relief',
        name: '特殊救济对象',
        categories: ['special-relief'],
        inpatient: {
          value: '0.90',
          citation: `${DOC} 二(二)4`,
          setting: {
            why: '二(二)4: their standard is set separately (另行制定), no number published. 二(二)1 and 二(二)2 treat them like 低保对象 (full contribution subsidy, same critical-illness tilt), so the 低保 ratio is used.',
          },
        },
        outpatient: {
          value: '0.60',
          citation: `${DOC} 二(二)4`,
          setting: { why: 'As for inpatient: the 低保 outpatient/emergency ratio.' },
        },
        deductibleShare: noDeductible,
        yearlyCap: cap(),
      },
      {
        key: 'low-income',
        name: '低收入对象',
        categories: ['low-income'],
        inpatient: { value: '0.80', citation: `${DOC} 二(二)4` },
        outpatient: { value: '0.50', citation: `${DOC} 二(二)4` },
        deductibleShare: noDeductible,
        yearlyCap: cap(),
      },
      {
        key: 'expenditure-poverty-1',
        name: '支出型贫困家庭成员 (第一类)',
        categories: ['expenditure-poverty-1'],
        inpatient: {
          value: '0.70',
          citation: `${DOC} 二(二)4`,
          setting: {
            why: '二(二)4 gives 支出型贫困 50%-70% inpatient. Kind 1 households are below the subsistence line after medical costs (四), the closest to 低保: top of the range.',
          },
        },
        outpatient: {
          value: '0',
          citation: `${DOC} 二(二)4`,
          setting: {
            why: '二(二)4 sets outpatient/emergency ratios for 低保 and 低收入 only, none for 支出型贫困: the estimate gives none.',
          },
        },
        deductibleShare: noDeductible,
        yearlyCap: cap(),
      },
      {
        key: 'expenditure-poverty-2',
        name: '支出型贫困家庭成员 (第二类)',
        categories: ['expenditure-poverty-2'],
        inpatient: {
          value: '0.50',
          citation: `${DOC} 二(二)4`,
          setting: {
            why: '二(二)4 gives 支出型贫困 50%-70% inpatient. Kind 2 households keep income above the subsistence line: bottom of the range, so the estimate does not promise more than the floor.',
          },
        },
        outpatient: {
          value: '0',
          citation: `${DOC} 二(二)4`,
          setting: {
            why: '二(二)4 sets outpatient/emergency ratios for 低保 and 低收入 only, none for 支出型贫困: the estimate gives none.',
          },
        },
        deductibleShare: noDeductible,
        yearlyCap: cap(),
      },
    ],
    capScope: {
      per: 'person',
      period: 'calendar-year',
      sharedAcrossVisitClasses: true,
      citation: `${DOC} 二(二)4`,
      why:
        '年度救助限额 is a yearly amount for each assistance target (a person, 二(一)); the document names one cap for ' +
        'inpatient and outpatient together. Yearly is read as the calendar year, the medical year of the insurance.',
    },
    deductibleScope: {
      per: 'person',
      period: 'calendar-year',
      sharedAcrossVisitClasses: true,
      citation: `${DOC} 二(二)4`,
      why: '不设年度救助起付标准: there is no deductible in Shanghai; the scope is stated for symmetry with other regions.',
    },
    orderWithinMonth:
      'Buckets are monthly: within a calendar year months are taken in order, inpatient before outpatient in a month, ' +
      'so the cap is drawn in a fixed order and the estimate does not depend on claim order.',
  },
  employeeOutpatient: {
    citation: `${OUTPATIENT_DOC} 二(二)`,
    from: '2023-07-01',
    until: '2026-12-31',
    inService: {
      deductible: { value: '500', citation: `${OUTPATIENT_DOC} 二(二)1` },
      level1: { value: '0.80', citation: `${OUTPATIENT_DOC} 二(二)1` },
      level2: { value: '0.75', citation: `${OUTPATIENT_DOC} 二(二)1` },
      level3: { value: '0.70', citation: `${OUTPATIENT_DOC} 二(二)1` },
    },
    retiredFrom2001: {
      deductible: { value: '300', citation: `${OUTPATIENT_DOC} 二(二)2(1)` },
      level1: { value: '0.85', citation: `${OUTPATIENT_DOC} 二(二)2(1)` },
      level2: { value: '0.80', citation: `${OUTPATIENT_DOC} 二(二)2(1)` },
      level3: { value: '0.75', citation: `${OUTPATIENT_DOC} 二(二)2(1)` },
    },
    retiredBefore2001: {
      deductible: { value: '200', citation: `${OUTPATIENT_DOC} 二(二)2(2)` },
      level1: { value: '0.90', citation: `${OUTPATIENT_DOC} 二(二)2(2)` },
      level2: { value: '0.85', citation: `${OUTPATIENT_DOC} 二(二)2(2)` },
      level3: { value: '0.80', citation: `${OUTPATIENT_DOC} 二(二)2(2)` },
    },
    personalAccount: {
      inServiceShareOfBase: { value: '0.02', citation: `${OUTPATIENT_DOC} 二(一)` },
      retiredUnder75: { value: '1680', citation: `${OUTPATIENT_DOC} 二(一)` },
      retired75AndOver: { value: '1890', citation: `${OUTPATIENT_DOC} 二(一)` },
    },
  },
};
