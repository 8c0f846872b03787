// The supervisor dashboard's charts as data: what public/dashboard.js hands to uPlot, built here from the
// alerter's answer so the browser only draws. Every chart has a table of the same figures under it (the
// accessible form, and what the browser test compares with the API), so nothing here adds a figure.
import type { Dashboard } from '../alerter-client.ts';
import { translateCode, type Translate } from '../i18n.ts';

/** `bars`: one bar per series and x (two series side by side); `stacked`: bars on top of each other; `lines`. */
export type ChartKind = 'bars' | 'stacked' | 'lines';

export interface ChartSeries {
  label: string;
  color: string;
  /** One value per x label; null: no figure (a duration nobody was counted for). */
  values: (number | null)[];
}

export interface ChartSpec {
  /** The id of the element the chart is drawn into. */
  id: string;
  kind: ChartKind;
  title: string;
  xLabel: string;
  x: string[];
  series: ChartSeries[];
}

const LEVEL_COLORS = { watch: '#b58a00', warning: '#d9630b', action: '#b3261e' } as const;
/** Outcomes in the order of the contracts, each with a colour told apart from its neighbours. */
const OUTCOME_COLORS: Record<string, string> = {
  'assistance-granted': '#1b7f3b',
  'charity-referred': '#0b5cad',
  'temporary-assistance': '#6a3fb5',
  'not-eligible': '#8a8a8a',
  unreachable: '#b3261e',
  duplicate: '#c8a2c8',
};
const SPARE_COLORS = ['#00838f', '#795548', '#e91e63'];
const MEDIAN_COLOR = '#0b5cad';
const P90_COLOR = '#d9630b';

const toHours = (seconds: number | null) => (seconds === null ? null : Math.round(seconds / 360) / 10);

/** The outcomes that occur in any month of the answer, in the order of OUTCOME_COLORS, then others sorted. */
export function outcomesShown(d: Dashboard): string[] {
  const seen = new Set(d.outcomesByMonth.flatMap((m) => Object.keys(m.counts)));
  const known = Object.keys(OUTCOME_COLORS).filter((o) => seen.has(o));
  return [...known, ...[...seen].filter((o) => !(o in OUTCOME_COLORS)).sort()];
}

export function dashboardCharts(t: Translate, d: Dashboard): ChartSpec[] {
  const levels = ['watch', 'warning', 'action'] as const;
  const outcomes = outcomesShown(d);
  const streets = d.streets.map((s) => s.streetCode);
  return [
    {
      id: 'chart-weeks',
      kind: 'bars',
      title: t('newByWeekTitle'),
      xLabel: t('weekColumn'),
      x: d.newByWeek.map((w) => w.weekStart),
      series: [{ label: t('countColumn'), color: MEDIAN_COLOR, values: d.newByWeek.map((w) => w.count) }],
    },
    {
      id: 'chart-levels',
      kind: 'lines',
      title: t('levelsTitle'),
      xLabel: t('dayColumn'),
      x: d.householdsByLevel.map((r) => r.day),
      series: levels.map((l) => ({
        label: translateCode(t, 'level', l),
        color: LEVEL_COLORS[l],
        values: d.householdsByLevel.map((r) => r[l]),
      })),
    },
    {
      id: 'chart-outcomes',
      kind: 'stacked',
      title: t('outcomesTitle'),
      xLabel: t('monthColumn'),
      x: d.outcomesByMonth.map((m) => m.month),
      series: outcomes.map((o, i) => ({
        label: translateCode(t, 'outcome', o),
        color: OUTCOME_COLORS[o] ?? SPARE_COLORS[i % SPARE_COLORS.length]!,
        values: d.outcomesByMonth.map((m) => m.counts[o] ?? 0),
      })),
    },
    {
      id: 'chart-acknowledge',
      kind: 'bars',
      title: t('ackChartTitle', { days: d.days }),
      xLabel: t('streetColumn'),
      x: streets,
      series: [
        {
          label: t('ackMedian'),
          color: MEDIAN_COLOR,
          values: d.streets.map((s) => toHours(s.timeToAcknowledge.medianSeconds)),
        },
        { label: t('ackP90'), color: P90_COLOR, values: d.streets.map((s) => toHours(s.timeToAcknowledge.p90Seconds)) },
      ],
    },
    {
      id: 'chart-close',
      kind: 'bars',
      title: t('closeChartTitle', { days: d.days }),
      xLabel: t('streetColumn'),
      x: streets,
      series: [
        {
          label: t('closeMedian'),
          color: MEDIAN_COLOR,
          values: d.streets.map((s) => toHours(s.timeToClose.medianSeconds)),
        },
        { label: t('closeP90'), color: P90_COLOR, values: d.streets.map((s) => toHours(s.timeToClose.p90Seconds)) },
      ],
    },
  ];
}
