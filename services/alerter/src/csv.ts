// The CSV export of a listing, for the monthly joint review of medical insurance and civil affairs: opened
// in Excel as it is, so UTF-8 with a byte-order mark (else Excel reads the Chinese headers as ANSI), CRLF
// line ends and RFC 4180 quoting. Headers are Chinese with the API's field name; values are the API's codes.
// Pure.
import type { AlertView } from './alert-store.ts';

const BOM = '\uFEFF';

/** Columns in order: header text and the value of one alert. */
export const CSV_COLUMNS: readonly (readonly [string, (a: AlertView) => string | null])[] = [
  ['告警编号 alertId', (a) => a.alertId],
  ['区 districtCode', (a) => a.districtCode],
  ['街镇 streetCode', (a) => a.streetCode],
  ['户 householdId', (a) => a.householdId],
  ['状态 state', (a) => a.state],
  ['等级 level', (a) => a.level],
  ['结果 outcome', (a) => a.outcome],
  ['开启 openedAt', (a) => a.openedAt],
  ['确认时限 acknowledgeDueAt', (a) => a.acknowledgeDueAt],
  ['办结时限 closeDueAt', (a) => a.closeDueAt],
  ['分派时限 assignDueAt', (a) => a.assignDueAt],
  // Every limit the alert breached, closed or not: the review counts late handling after the fact too.
  [
    '逾期 overdue',
    (a) =>
      Object.entries(a.overdue)
        .filter(([, at]) => at !== null)
        .map(([breach]) => breach)
        .join(';'),
  ],
  ['办结 closedAt', (a) => a.closedAt],
  ['分派至 assignedAlertId', (a) => a.assignedAlertId],
  ['12个月负担 burden12m', (a) => a.decision.burden12m],
  ['收入 income', (a) => a.decision.income],
  ['负担比 burdenRatio', (a) => a.decision.burdenRatio],
  ['发现 findings', (a) => a.decision.findings.map((f) => f.code).join(';')],
];

/** One field, quoted when it holds a comma, a quote or a line break (quotes doubled). */
export function csvField(value: string | null): string {
  const v = value ?? '';
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function alertsCsv(alerts: readonly AlertView[]): string {
  const rows = [CSV_COLUMNS.map(([header]) => header), ...alerts.map((a) => CSV_COLUMNS.map(([, value]) => value(a)))];
  return BOM + rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
