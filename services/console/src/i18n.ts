// Chinese first, English available: every label of the console in both languages, chosen per request
// from the `wl_lang` cookie the language switch sets. Codes from the API (levels, states, outcomes, error
// codes) are translated here too, so a screen never shows a bare code where a word exists.

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const MESSAGES = {
  appName: ['预警线 · 因病致贫预警工作台', 'warnline · medical-poverty early warning'],
  language: ['English', '中文'],
  skipToContent: ['跳到正文', 'Skip to content'],
  signIn: ['登录', 'Sign in'],
  signOut: ['退出登录', 'Sign out'],
  signedInAs: ['当前用户', 'Signed in as'],
  tokenLabel: ['访问令牌', 'Access token'],
  tokenHint: [
    '请输入发给您的访问令牌（街道、区或管理员）。',
    'Enter the access token you were given (street, district or admin).',
  ],
  loginFailed: ['令牌无效，请重新输入。', 'That token is not valid. Try again.'],
  loginUnavailable: ['暂时无法连接预警服务，请稍后重试。', 'The alert service does not answer. Try again shortly.'],
  sessionEnded: ['会话已过期，请重新登录。', 'Your session has ended. Please sign in again.'],
  roleStreet: ['街道', 'Street'],
  roleDistrict: ['区', 'District'],
  roleCity: ['市', 'City'],
  roleAdmin: ['管理员', 'Admin'],
  navWorklist: ['工作清单', 'Worklist'],
  navHome: ['首页', 'Home'],
  chooseStreet: ['选择街道', 'Choose a street'],
  streetCodeLabel: ['街道代码（9 位）', 'Street code (9 digits)'],
  open: ['打开', 'Open'],
  worklistTitle: ['街道预警工作清单', 'Street alert worklist'],
  filterState: ['状态', 'State'],
  filterLevel: ['等级', 'Level'],
  filterApply: ['筛选', 'Filter'],
  allOpen: ['全部未办结', 'All open'],
  allLevels: ['全部等级', 'All levels'],
  noAlerts: ['没有符合条件的预警。', 'No alerts match.'],
  alertsShown: ['条预警', 'alerts'],
  colAlert: ['预警编号', 'Alert'],
  colHousehold: ['家庭', 'Household'],
  colLevel: ['等级', 'Level'],
  colState: ['状态', 'State'],
  colOpened: ['发起时间', 'Opened'],
  colTimeLeft: ['剩余时限', 'Time left'],
  colBurden: ['12 个月负担（元）', '12-month burden (yuan)'],
  colRatio: ['负担/收入', 'Burden / income'],
  overdue: ['已超时', 'Overdue'],
  hoursLeft: ['剩 {n} 小时', '{n} h left'],
  daysLeft: ['剩 {n} 天', '{n} days left'],
  noDeadline: ['—', '—'],
  alertTitle: ['预警详情', 'Alert'],
  findings: ['发现（依据）', 'Findings (with their basis)'],
  noFindings: ['没有发现。', 'No findings.'],
  figures: ['关键数字', 'Key figures'],
  burden12m: ['12 个月个人负担', 'Personal burden, 12 months'],
  income: ['家庭年可支配收入', 'Household annual disposable income'],
  unknown: ['未知', 'unknown'],
  ratio: ['负担占收入比例', 'Burden as a share of income'],
  ratioLine: ['支出型贫困第二类标准线 40%', 'expenditure-poverty line 40%'],
  assistanceEstimate: ['医疗救助估算', 'Assistance estimate'],
  capRemaining: ['年度救助限额剩余', 'Yearly cap remaining'],
  window: ['统计期', 'Window'],
  ruleSet: ['规则集', 'Rule set'],
  dueDates: ['办理时限', 'Due dates'],
  ackDue: ['接收截止', 'Acknowledge by'],
  closeDue: ['办结截止', 'Close by'],
  burdenChart: [
    '近 12 个月医疗负担（住院 / 门诊）',
    'Medical burden by month, last 12 months (inpatient / outpatient)',
  ],
  burdenChartMissing: [
    '本预警未携带按月数据（在该数据项上线前生成）。',
    'This alert carries no monthly figures (it was raised before they were carried).',
  ],
  month: ['月份', 'Month'],
  inpatient: ['住院', 'Inpatient'],
  outpatient: ['门诊', 'Outpatient'],
  warnings: ['请核实的参数', 'Figures to verify'],
  history: ['处理记录', 'History'],
  colWhen: ['时间', 'When'],
  colWho: ['操作人', 'Who'],
  colAction: ['操作', 'Action'],
  colNote: ['备注', 'Note'],
  actions: ['办理', 'Actions'],
  noActions: ['本预警已办结，无可执行操作。', 'This alert is closed: nothing more to do.'],
  outcomeLabel: ['处置结果', 'Outcome'],
  noteLabel: ['备注（办结时必填）', 'Note (required to close)'],
  doTransition: ['确认', 'Confirm'],
  chooseOutcome: ['请选择', 'Choose'],
  done: ['已保存。', 'Saved.'],
  forbiddenTitle: ['无权查看', 'Not allowed'],
  forbidden: ['此页面不在您的权限范围内。', 'This page is outside your scope.'],
  notFoundTitle: ['未找到', 'Not found'],
  notFound: ['没有这个页面或预警。', 'No such page or alert.'],
  unavailableTitle: ['服务暂不可用', 'Service unavailable'],
  unavailable: ['预警服务暂时没有响应，请稍后重试。', 'The alert service does not answer. Try again shortly.'],
  csrfTitle: ['表单已失效', 'Form expired'],
  csrf: ['表单已失效，请返回后重新提交。', 'The form expired. Go back and submit it again.'],
  back: ['返回', 'Back'],
  // The supervisor dashboard and the pipeline page.
  navDashboard: ['统计看板', 'Dashboard'],
  navPipeline: ['数据管道', 'Pipeline'],
  dashboardTitle: ['统计看板 · {scope}', 'Dashboard · {scope}'],
  scopeCity: ['全市', 'city'],
  dashboardDays: ['统计期（天）', 'Period (days)'],
  openByLevel: ['在办预警（按等级、街道）', 'Open alerts by level and street'],
  streetColumn: ['街道', 'Street'],
  totalRow: ['合计', 'Total'],
  overdueColumn: ['超时', 'Overdue'],
  timesTitle: ['响应与办结时长（近 {days} 天）', 'Time to acknowledge and to close (last {days} days)'],
  ackMedian: ['签收中位数', 'Acknowledge, median'],
  ackP90: ['签收 90 分位', 'Acknowledge, 90th pct.'],
  closeMedian: ['办结中位数', 'Close, median'],
  closeP90: ['办结 90 分位', 'Close, 90th pct.'],
  outcomesTitle: ['每月处置结果', 'Outcomes per month'],
  monthColumn: ['月份', 'Month'],
  newByWeekTitle: ['每周新增预警', 'New alerts per week'],
  weekColumn: ['周（周一）', 'Week (Monday)'],
  countColumn: ['数量', 'Count'],
  levelsTitle: ['各等级家庭数（按日）', 'Households at each level, by day'],
  dayColumn: ['日期', 'Day'],
  ackChartTitle: ['各街道签收时长（小时，近 {days} 天）', 'Time to acknowledge by street (hours, last {days} days)'],
  closeChartTitle: ['各街道办结时长（小时，近 {days} 天）', 'Time to close by street (hours, last {days} days)'],
  csvDownload: ['下载本范围全部预警（CSV）', "Download this scope's alerts (CSV)"],
  pipelineTitle: ['数据管道运行状况', 'Pipeline health'],
  claimsPerSecond: ['每秒接收结算单', 'Claims per second'],
  consumerLagTitle: ['消费延迟', 'Consumer lag'],
  groupColumn: ['消费组', 'Group'],
  topicColumn: ['主题', 'Topic'],
  lagColumn: ['未消费消息', 'Behind'],
  queuesTitle: ['队列深度', 'Queue depths'],
  queueColumn: ['队列', 'Queue'],
  institutionsTitle: ['各医疗机构最后一次结算', 'Last claim per institution'],
  institutionColumn: ['机构', 'Institution'],
  lastClaimColumn: ['最后结算时间', 'Last claim'],
  silentColumn: ['静默（小时）', 'Silent (hours)'],
  silentFlag: ['已静默', 'silent'],
  deadLettersTitle: ['近 24 小时死信（按错误码）', 'Dead letters in the last 24 hours, by code'],
  codeColumn: ['错误码', 'Code'],
  redisMemory: ['Redis 内存', 'Redis memory'],
  openBoard: ['打开队列面板（bull-board）', 'Open the queue board (bull-board)'],
  noPrometheus: [
    '未配置 Prometheus：结算速率、死信与机构状态不可用。',
    'No Prometheus configured: claim rate, dead letters and institutions are not available.',
  ],
  // Levels, states, outcomes, actions of the API.
  'level.watch': ['关注', 'watch'],
  'level.warning': ['预警', 'warning'],
  'level.action': ['须处置', 'action'],
  'level.none': ['无', 'none'],
  'state.new': ['新预警', 'new'],
  'state.acknowledged': ['已接收', 'acknowledged'],
  'state.investigating': ['摸排核实中', 'investigating'],
  'state.closed': ['已办结', 'closed'],
  'state.overdue': ['已超时（未办结）', 'overdue (open)'],
  'state.triage': ['待分派', 'triage'],
  'state.assigned': ['已分派', 'assigned'],
  'to.acknowledged': ['接收预警', 'Acknowledge'],
  'to.investigating': ['开始摸排核实', 'Start investigating'],
  'to.closed': ['办结（分类处置）', 'Close (handle by class)'],
  'outcome.assistance-granted': ['纳入医疗救助', 'assistance granted'],
  'outcome.charity-referred': ['慈善推介', 'referred to charity'],
  'outcome.temporary-assistance': ['临时救助', 'temporary assistance'],
  'outcome.not-eligible': ['核实不符合条件', 'not eligible'],
  'outcome.unreachable': ['无法联系', 'unreachable'],
  'outcome.duplicate': ['重复预警', 'duplicate'],
  'action.opened': ['发起', 'opened'],
  'action.level-raised': ['等级提高', 'level raised'],
  'action.re-raised': ['再次触发', 're-raised'],
  'action.acknowledged': ['接收', 'acknowledged'],
  'action.investigating': ['开始摸排', 'investigating'],
  'action.closed': ['办结', 'closed'],
  'action.overdue': ['超时', 'overdue'],
  'action.assigned': ['分派', 'assigned'],
  'action.linked': ['关联', 'linked'],
  'error.OUTCOME_REQUIRED': ['办结需选择处置结果并填写备注。', 'Closing needs an outcome and a note.'],
  'error.OUTCOME_NOT_ALLOWED': ['只有办结时才选择处置结果。', 'Only closing takes an outcome.'],
  'error.INVALID_TRANSITION': [
    '该预警状态已被他人更改，请查看最新状态。',
    'Someone changed this alert meanwhile; see its current state.',
  ],
  'error.BAD_REQUEST': ['提交内容不完整或格式有误。', 'The form was incomplete or malformed.'],
  'error.FORBIDDEN': ['此操作不在您的权限范围内。', 'This is outside your scope.'],
  'error.INTERNAL': ['预警服务出错，未保存，请重试。', 'The alert service failed; nothing was saved. Try again.'],
} as const satisfies Record<string, readonly [string, string]>;

export type MessageKey = keyof typeof MESSAGES;

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(MESSAGES, key);
}

export function translator(lang: Lang): Translate {
  const index = lang === 'zh' ? 0 : 1;
  return (key, vars) => {
    let text: string = MESSAGES[key][index];
    for (const [name, value] of Object.entries(vars ?? {})) text = text.replaceAll(`{${name}}`, String(value));
    return text;
  };
}

/** A code of the API (`level.action`, `outcome.duplicate`) in words, or the code itself when unknown. */
export function translateCode(t: Translate, group: string, code: string): string {
  const key = `${group}.${code}`;
  return isMessageKey(key) ? t(key) : code;
}

export function langOf(cookie: string | undefined): Lang {
  return cookie === 'en' ? 'en' : 'zh';
}
