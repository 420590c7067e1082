// The local dashboard page: reads /api/analytics (the analyst panels, run on ClickHouse) and
// /api/operations (figures from the metrics) every 5 s and draws them with Chart.js. Each panel's
// <figure> carries data-points, the number of points its chart holds, which the browser test reads.
'use strict';

const REFRESH_MS = 5000;
const charts = new Map();

Chart.defaults.animation = false;
Chart.defaults.font.size = 11;
Chart.defaults.plugins.legend.labels.boxWidth = 10;

const time = (ms) => new Date(ms).toTimeString().slice(0, 8);
const number = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 2 });

// One panel on the page: a <figure> with a caption and a canvas, created the first time it is seen.
function panel(container, id, title, note) {
  let figure = document.getElementById(id);
  if (!figure) {
    figure = document.createElement('figure');
    figure.className = 'panel';
    figure.id = id;
    figure.dataset.points = '0';
    figure.innerHTML = '<figcaption></figcaption><div class="chart"><canvas></canvas></div><div class="error"></div>';
    figure.querySelector('figcaption').textContent = title;
    if (note) {
      const small = document.createElement('small');
      small.textContent = ' ' + note;
      figure.querySelector('figcaption').appendChild(small);
    }
    container.appendChild(figure);
  }
  return figure;
}

// Draws (or redraws) a chart in a figure: 'line' with a time axis, or 'bar' with categories.
function draw(figure, type, datasets, labels, pointRadius = 0) {
  let chart = charts.get(figure.id);
  if (!chart) {
    const options = {
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: datasets.length > 1 || type === 'line', position: 'bottom' } },
      scales: type === 'line'
        ? { x: { type: 'linear', ticks: { callback: time, maxTicksLimit: 6 } },
            y: { beginAtZero: true, ticks: { callback: (v) => number.format(v) } } }
        : { y: { beginAtZero: true, ticks: { callback: (v) => number.format(v) } } },
    };
    if (type === 'bar' && labels.length > 6) {
      options.indexAxis = 'y';
      options.scales = { x: { beginAtZero: true, ticks: { callback: (v) => number.format(v) } } };
    }
    chart = new Chart(figure.querySelector('canvas'), { type, data: { datasets: [] }, options });
    charts.set(figure.id, chart);
  }
  chart.data.labels = labels;
  chart.data.datasets = datasets.map((d, i) => {
    const old = chart.data.datasets[i];
    return Object.assign(old && old.label === d.label ? old : {}, d, { pointRadius, borderWidth: 2 });
  });
  chart.update('none');
  figure.dataset.points = String(datasets.reduce((n, d) => n + d.data.length, 0));
  figure.querySelector('.error').textContent = '';
}

function fail(figure, message) {
  figure.querySelector('.error').textContent = message;
}

// Rows of a panel as objects keyed by column.
function records(p) {
  return (p.rows || []).map((row) => Object.fromEntries(p.columns.map((c, i) => [c, row[i]])));
}

// Lines from rows: one line per value of `series`, points (time, value).
function lines(rows, series, value) {
  const byName = new Map();
  for (const r of rows) {
    const name = series ? String(r[series]) : 'all';
    if (!byName.has(name)) byName.set(name, new Map());
    const points = byName.get(name);
    points.set(r.time, (points.get(r.time) || 0) + Number(r[value]));
  }
  return [...byName.entries()].map(([label, points]) => ({
    label, data: [...points.entries()].sort((a, b) => a[0] - b[0]).map(([x, y]) => ({ x, y })),
  }));
}

// Bars from rows: the top `limit` categories by value.
function bars(rows, category, value, limit) {
  const totals = new Map();
  for (const r of rows) totals.set(String(r[category]), (totals.get(String(r[category])) || 0) + Number(r[value]));
  const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
  return { labels: top.map((t) => t[0]), datasets: [{ label: value, data: top.map((t) => t[1]) }] };
}

const STATS = {
  'Decisions': (v) => number.format(v),
  'Approval rate': (v) => v === null ? '–' : (v * 100).toFixed(1) + ' %',
  'Refusals': (v) => number.format(v),
  'Late decisions': (v) => number.format(v),
};

// How each analyst panel of the Grafana dashboard is drawn here.
const ANALYST_CHARTS = {
  'Decisions by partner': { id: 'decisions', title: 'Decisions per minute', note: 'all partners; the last minute is still filling',
    draw: (f, rows) => draw(f, 'line', lines(rows, null, 'decisions'), undefined, 3) },
  'Value by currency': { id: 'value', title: 'Value per minute by currency', note: 'minor units; the last minute is still filling',
    draw: (f, rows) => draw(f, 'line', lines(rows, 'currency', 'value_minor'), undefined, 3) },
  'Volume and value by partner and currency': { id: 'partners', title: 'Decisions by partner', note: 'top 10',
    draw: (f, rows) => { const b = bars(rows, 'partner_id', 'decisions', 10); draw(f, 'bar', b.datasets, b.labels); } },
  'Refusals by reason': { id: 'refusals', title: 'Refusals by reason', note: '',
    draw: (f, rows) => { const b = bars(rows, 'reason', 'refusals', 12); draw(f, 'bar', b.datasets, b.labels); } },
  'Fraud alerts by rule': { id: 'alerts-rule', title: 'Fraud alerts by rule', note: '',
    draw: (f, rows) => { const b = bars(rows, 'rule_id', 'alerts', 12); draw(f, 'bar', b.datasets, b.labels); } },
  'Fraud alerts by partner': { id: 'alerts-partner', title: 'Fraud alerts by partner', note: 'top 10',
    draw: (f, rows) => { const b = bars(rows, 'partner_id', 'alerts', 10); draw(f, 'bar', b.datasets, b.labels); } },
};

function showAnalytics(body) {
  const stats = document.getElementById('stats');
  const grid = document.getElementById('analytics');
  for (const p of body.panels) {
    if (p.title in STATS) {
      let tile = document.getElementById('stat-' + p.title);
      if (!tile) {
        tile = document.createElement('div');
        tile.className = 'stat';
        tile.id = 'stat-' + p.title;
        tile.innerHTML = '<div class="label"></div><div class="value"></div>';
        tile.querySelector('.label').textContent = p.title;
        stats.appendChild(tile);
      }
      const v = p.error ? null : (p.rows[0] || [null])[0];
      tile.querySelector('.value').textContent = p.error ? 'error' : STATS[p.title](v);
      tile.title = p.error || '';
      continue;
    }
    const how = ANALYST_CHARTS[p.title];
    if (!how) continue;
    const figure = panel(grid, how.id, how.title, how.note);
    if (p.error) fail(figure, p.error); else how.draw(figure, records(p));
  }
}

function showOperations(body) {
  const grid = document.getElementById('operations');
  body.charts.forEach((c, i) => {
    const figure = panel(grid, 'ops-' + i, c.title, c.unit);
    const datasets = Object.entries(c.lines).map(([label, points]) => ({
      label, data: points.map(([x, y]) => ({ x, y })),
    }));
    draw(figure, 'line', datasets);
  });
}

async function refresh() {
  const status = document.getElementById('status');
  try {
    const [analytics, operations] = await Promise.all(
      ['api/analytics', 'api/operations'].map((u) => fetch(u).then((r) => {
        if (!r.ok) throw new Error(u + ': HTTP ' + r.status);
        return r.json();
      })));
    showAnalytics(analytics);
    showOperations(operations);
    document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes) + 1);
    status.textContent = 'updated ' + time(Date.now()) + ', every ' + REFRESH_MS / 1000 + ' s';
  } catch (e) {
    status.textContent = 'cannot read the platform (' + e.message + '): is bin/run-local still running?';
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
