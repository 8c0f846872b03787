// Draws the supervisor dashboard's charts with uPlot (served by the console) from the JSON the page carries
// (pages/dashboard-charts.ts builds it). The tables under the charts hold the same figures, so the page
// reads the same without this script.
(function () {
  'use strict';
  var source = document.getElementById('dashboard-charts');
  if (!source || typeof window.uPlot !== 'function') return;
  var charts = JSON.parse(source.textContent || '[]');
  var bars = window.uPlot.paths.bars;

  function alpha(color) {
    return color + 'c0';
  }

  function draw(chart) {
    var target = document.getElementById(chart.id);
    if (!target) return;
    var labels = chart.x;
    var xs = labels.map(function (_l, i) {
      return i;
    });
    var series = [
      {
        label: chart.xLabel,
        value: function (_u, i) {
          return i === null || labels[i] === undefined ? '--' : labels[i];
        },
      },
    ];
    var data = [xs];
    var shown = chart.series;
    if (chart.kind === 'stacked') {
      // Each bar is drawn from zero to the running total, the highest first, so every outcome's part shows
      // above the ones before it; the legend still names each outcome's own count.
      var totals = labels.map(function () {
        return 0;
      });
      var stacked = chart.series.map(function (s) {
        var tops = s.values.map(function (v, i) {
          totals[i] += v || 0;
          return totals[i];
        });
        return { label: s.label, color: s.color, values: tops, own: s.values };
      });
      shown = stacked.reverse();
    }
    var pair = chart.kind === 'bars' && shown.length === 2;
    shown.forEach(function (s, k) {
      var entry = { label: s.label, stroke: s.color, points: { show: chart.kind === 'lines' && labels.length < 40 } };
      if (chart.kind === 'lines') {
        entry.width = 2;
      } else {
        entry.fill = alpha(s.color);
        entry.paths = pair ? bars({ size: [0.35, 40], align: k === 0 ? -1 : 1 }) : bars({ size: [0.7, 60], align: 0 });
      }
      if (s.own) {
        entry.value = function (_u, _v, _si, i) {
          return i === null || s.own[i] === undefined ? '--' : s.own[i];
        };
      }
      series.push(entry);
      data.push(s.values);
    });
    var width = Math.max(320, Math.min(target.clientWidth || 720, 1100));
    new window.uPlot(
      {
        width: width,
        height: 240,
        scales: {
          x: { time: false, range: [-0.5, Math.max(labels.length, 1) - 0.5] },
          // Counts and durations: the axis starts at zero, so bars compare by their height.
          y: {
            range: function (_u, _min, max) {
              return [0, max > 0 ? max * 1.1 : 1];
            },
          },
        },
        axes: [
          {
            // Dates are wide: room for each, so a 90-day axis names every week or so, not every day.
            space: 90,
            values: function (_u, ticks) {
              return ticks.map(function (i) {
                return Number.isInteger(i) && labels[i] !== undefined ? labels[i] : '';
              });
            },
          },
          { size: 60 },
        ],
        series: series,
      },
      data,
      target,
    );
  }

  charts.forEach(draw);
})();
