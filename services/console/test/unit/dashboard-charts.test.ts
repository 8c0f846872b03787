// The dashboard's pure pieces: the chart data carries exactly the API's figures (durations in hours as the
// tables write them), the outcomes in a fixed order, the CSV path of each scope, and a download's file name.
import { describe, expect, it } from 'vitest';
import type { Dashboard, DashboardFigures } from '../../src/alerter-client.ts';
import { translator } from '../../src/i18n.ts';
import { dashboardCharts, outcomesShown } from '../../src/pages/dashboard-charts.ts';
import { scopeCsvHref } from '../../src/pages/dashboard.ts';

const figures = (ack: number | null, close: number | null): DashboardFigures => ({
  open: { watch: 1, warning: 0, action: 2 },
  openTotal: 3,
  byState: {},
  overdue: 0,
  timeToAcknowledge: { count: ack === null ? 0 : 1, medianSeconds: ack, p90Seconds: ack === null ? null : ack * 2 },
  timeToClose: { count: close === null ? 0 : 1, medianSeconds: close, p90Seconds: close },
});

const dashboard: Dashboard = {
  scope: '310113',
  days: 30,
  asOf: '2026-03-10T00:00:00.000Z',
  totals: figures(3600, 86_400),
  streets: [
    { ...figures(5400, null), streetCode: '310113103', districtCode: '310113' },
    { ...figures(null, 86_400), streetCode: '310113104', districtCode: '310113' },
  ],
  outcomesByMonth: [
    { month: '2026-02', counts: { unreachable: 1, 'assistance-granted': 2 }, total: 3 },
    { month: '2026-03', counts: { 'some-new-outcome': 4 }, total: 4 },
  ],
  newByWeek: [
    { weekStart: '2026-03-02', count: 5 },
    { weekStart: '2026-03-09', count: 0 },
  ],
  householdsByLevel: [
    { day: '2026-03-09', watch: 1, warning: 2, action: 0 },
    { day: '2026-03-10', watch: 1, warning: 0, action: 2 },
  ],
};

describe('dashboard charts', () => {
  const charts = new Map(dashboardCharts(translator('en'), dashboard).map((c) => [c.id, c]));

  it("carries the API's figures, one value per label", () => {
    expect(charts.get('chart-weeks')).toMatchObject({ kind: 'bars', x: ['2026-03-02', '2026-03-09'] });
    expect(charts.get('chart-weeks')!.series.map((s) => s.values)).toEqual([[5, 0]]);
    const levels = charts.get('chart-levels')!;
    expect(levels.kind).toBe('lines');
    expect(levels.series.map((s) => [s.label, s.values])).toEqual([
      ['watch', [1, 1]],
      ['warning', [2, 0]],
      ['action', [0, 2]],
    ]);
    for (const chart of charts.values())
      for (const series of chart.series) expect(series.values).toHaveLength(chart.x.length);
  });

  it('stacks the outcomes in the order of the contracts, unknown ones last', () => {
    expect(outcomesShown(dashboard)).toEqual(['assistance-granted', 'unreachable', 'some-new-outcome']);
    const outcomes = charts.get('chart-outcomes')!;
    expect(outcomes.kind).toBe('stacked');
    expect(outcomes.series.map((s) => s.values)).toEqual([
      [2, 0],
      [1, 0],
      [0, 4],
    ]);
    expect(new Set(outcomes.series.map((s) => s.color)).size).toBe(3);
  });

  it('gives the hours to acknowledge and to close per street, null where nothing was counted', () => {
    const ack = charts.get('chart-acknowledge')!;
    expect(ack.x).toEqual(['310113103', '310113104']);
    expect(ack.series.map((s) => s.values)).toEqual([
      [1.5, null],
      [3, null],
    ]);
    expect(charts.get('chart-close')!.series.map((s) => s.values)).toEqual([
      [null, 24],
      [null, 24],
    ]);
    expect(ack.title).toBe('Time to acknowledge by street (hours, last 30 days)');
  });
});

describe('dashboard CSV', () => {
  it("links the scope's listing export, the token's own without one", () => {
    const city = { name: 'shi', role: 'city' } as const;
    const district = { name: 'qu', role: 'district', district: '310113' } as const;
    expect(scopeCsvHref('city', district)).toBe('/exports/alerts.csv');
    expect(scopeCsvHref('310115', city)).toBe('/exports/alerts.csv?district=310115');
    expect(scopeCsvHref('310113103', city)).toBe('/exports/alerts.csv?district=310113&street=310113103');
    expect(scopeCsvHref(undefined, district)).toBe('/exports/alerts.csv?district=310113');
    expect(scopeCsvHref(undefined, city)).toBe('/exports/alerts.csv');
    expect(scopeCsvHref(undefined, { name: 'ops', role: 'admin' })).toBe('/exports/alerts.csv');
  });
});
