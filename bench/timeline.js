#!/usr/bin/env node
/*
 * The cluster-over-time chart's cost: src/timeline.ts's geometry against the naive drawing
 * (every sample a point of every band, numbers printed as they come), same histories, same run.
 *
 *     node bench/timeline.js [--runs 25]
 *
 * Compiles src/timeline.ts (and the pure modules it imports) with the repo's tsc into a temp
 * directory, then prints one row per history size: median wall and CPU milliseconds per geometry,
 * the SVG path text it produces (what the browser parses), and the naive/ours ratios.
 * Worst case data: every session's count changes at every poll.
 */
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { performance } = require('perf_hooks');

const repo = path.resolve(__dirname, '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gs-timeline-'));
execFileSync(
  path.join(repo, 'node_modules', '.bin', 'tsc'),
  [
    path.join(repo, 'src', 'timeline.ts'),
    '--outDir',
    out,
    '--module',
    'commonjs',
    '--target',
    'es2020',
    '--skipLibCheck',
    '--esModuleInterop'
  ],
  { stdio: 'inherit' }
);
const { timelineGeometry, CHART_WIDTH, CHART_HEIGHT } = require(
  path.join(out, 'timeline.js')
);

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 25;

function history(sessions, samples) {
  const times = Array.from({ length: samples }, (_, k) => 1e9 + k * 5);
  const series = {};
  for (let s = 0; s < sessions; s++) {
    series[String(s)] = times.map((_, k) => (k + s) % 7);
  }
  return {
    poll_interval: 5,
    times,
    series,
    capacity: times.map(() => 200),
    starving: { 3: [[10, samples / 2]], 7: [[5, 20]] }
  };
}

/** What one writes first: a polygon per band through every sample, no gaps, no reuse. */
function naiveGeometry(h) {
  const ids = Object.keys(h.series).sort((a, b) => a - b);
  const n = h.times.length;
  const t0 = h.times[0];
  const span = h.times[n - 1] - t0 || 1;
  const totals = h.times.map((_, k) =>
    ids.reduce((sum, id) => sum + (h.series[id][k] || 0), 0)
  );
  const scale = Math.max(...totals, ...h.capacity) * 1.08;
  const x = k => (((h.times[k] - t0) / span) * CHART_WIDTH).toFixed(1);
  const y = v => (CHART_HEIGHT - (v / scale) * CHART_HEIGHT).toFixed(1);
  const lower = new Array(n).fill(0);
  return ids.map(id => {
    const top = lower.map((l, k) => l + (h.series[id][k] || 0));
    let d = '';
    for (let k = 0; k < n; k++) {
      d += `${k ? 'L' : 'M'}${x(k)},${y(top[k])}`;
    }
    for (let k = n - 1; k >= 0; k--) {
      d += `L${x(k)},${y(lower[k])}`;
    }
    top.forEach((v, k) => (lower[k] = v));
    return d + 'Z';
  });
}

/** Median wall and CPU milliseconds (CPU: this process, GC threads included; it moves
 * less than wall time on a shared machine). */
function measure(fn, h) {
  fn(h); // warm-up
  const wall = [];
  const cpu = [];
  let result;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    result = fn(h);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1e3);
    wall.push(performance.now() - start);
  }
  const median = values => values.sort((a, b) => a - b)[values.length >> 1];
  return { wall: median(wall), cpu: median(cpu), result };
}

const pathChars = paths => paths.reduce((sum, p) => sum + p.length, 0);
const rows = [];
for (const [sessions, samples] of [
  [10, 120],
  [50, 120],
  [10, 720],
  [50, 720]
]) {
  const h = history(sessions, samples);
  const ours = measure(timelineGeometry, h);
  const naive = measure(naiveGeometry, h);
  const oursChars =
    pathChars(ours.result.layers.map(l => l.path)) +
    ours.result.capacityPath.length;
  const naiveChars = pathChars(naive.result);
  rows.push({
    history: `${sessions} sessions x ${samples} samples`,
    'ours ms (wall / CPU)': `${ours.wall.toFixed(1)} / ${ours.cpu.toFixed(1)}`,
    'naive ms (wall / CPU)': `${naive.wall.toFixed(1)} / ${naive.cpu.toFixed(1)}`,
    'CPU naive/ours': (naive.cpu / ours.cpu).toFixed(1),
    'path kB ours / naive': `${(oursChars / 1e3).toFixed(0)} / ${(naiveChars / 1e3).toFixed(0)}`
  });
}
fs.rmSync(out, { recursive: true, force: true });
console.log(`node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}, ${RUNS} runs each`);
console.table(rows);
