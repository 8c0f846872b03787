// The console's only script. Pages work without it; it draws the burden chart (uPlot, served by the console)
// from the JSON the page carries, and moves focus to a page's notice so a keyboard or screen-reader user
// hears the result of a form at once.
(function () {
  'use strict';
  var notice = document.querySelector('.notice');
  if (notice) {
    notice.setAttribute('tabindex', '-1');
    notice.focus();
  }

  var data = document.getElementById('burden-data');
  var target = document.getElementById('burden-chart');
  if (!data || !target || typeof window.uPlot !== 'function') return;
  var parsed = JSON.parse(data.textContent || '{}');
  var months = parsed.months || [];
  var labels = parsed.labels || {};
  var xs = months.map(function (_m, i) {
    return i;
  });
  var inpatient = months.map(function (m) {
    return Number(m.inpatient);
  });
  var outpatient = months.map(function (m) {
    return Number(m.outpatient);
  });
  var bars = window.uPlot.paths.bars;
  var width = Math.max(320, Math.min(target.clientWidth || 720, 960));
  new window.uPlot(
    {
      width: width,
      height: 260,
      scales: { x: { time: false, range: [-0.5, months.length - 0.5] } },
      axes: [
        {
          values: function (_u, ticks) {
            return ticks.map(function (i) {
              return months[i] ? months[i].month : '';
            });
          },
        },
        { size: 70 },
      ],
      series: [
        {
          label: labels.month,
          value: function (_u, i) {
            return i === null || !months[i] ? '--' : months[i].month;
          },
        },
        {
          label: labels.inpatient,
          fill: 'rgba(179,38,30,0.75)',
          stroke: '#b3261e',
          paths: bars({ size: [0.35, 40], align: -1 }),
          points: { show: false },
        },
        {
          label: labels.outpatient,
          fill: 'rgba(11,92,173,0.75)',
          stroke: '#0b5cad',
          paths: bars({ size: [0.35, 40], align: 1 }),
          points: { show: false },
        },
      ],
    },
    [xs, inpatient, outpatient],
    target,
  );
})();
