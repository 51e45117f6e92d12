/**
 * Geometry of the cluster-over-time chart: executors held per session over
 * the history window, stacked, with the capacity line and the starving
 * moments. Computed once per history (not per hover or render).
 */
import { History } from '../snapshot';
import { historyGap } from './sparkline';

/** The drawing's own units (the SVG viewBox); the SVG is stretched to the panel. */
export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 360;
/** The starving strip under the plot, and the whole drawing's height. */
export const STRIP_GAP = 8;
export const STRIP_HEIGHT = 24;
export const VIEW_HEIGHT = CHART_HEIGHT + STRIP_GAP + STRIP_HEIGHT;

/** Distinct fills of the palette (style/timeline.css: --gs-tl-0 ... --gs-tl-7). */
export const PALETTE_SIZE = 8;

/**
 * One session's band of the stack.
 */
export interface ITimelineLayer {
  id: number;
  /** The palette index: the same for a session for as long as it lives. */
  color: number;
  /** SVG path data of its band (one closed polygon per run without gap); '' if it never held any. */
  path: string;
  /** Its executors per sample (null: not alive, unknown or a gap). */
  values: (number | null)[];
}

/**
 * The chart of one history.
 */
export interface ITimelineGeometry {
  /** Epoch seconds per sample, and the sample's x in the drawing. */
  times: number[];
  xs: number[];
  /** Whether a sample is a gap (nothing observed: every series null). */
  gap: boolean[];
  /** The highest stack or capacity. */
  maxValue: number;
  /** The value at the top of the drawing (a little above maxValue: the capacity line shows). */
  scale: number;
  /** Bottom to top, by session id (a stable order). */
  layers: ITimelineLayer[];
  /** The cluster's capacity per sample (null: unknown), and its line. */
  capacity: (number | null)[];
  capacityPath: string;
  /** The session ids starving at each sample (mostly empty). */
  starvingAt: number[][];
  /** [x, width] of each run of samples where someone was starving. */
  starvingBands: [number, number][];
}

// Whole drawing units: short path strings, and integers print fast.
const round = Math.round;

/**
 * The chart of a history (null when there is nothing to draw). Sessions are
 * stacked by id, bottom to top; a session's null counts as 0 inside a run. A
 * run of samples ends at a gap: a time where every series is null, or two
 * samples further apart than 2 x poll_interval.
 */
export function timelineGeometry(
  history: History | null
): ITimelineGeometry | null {
  const times = history?.times ?? [];
  const n = times.length;
  if (!history || !n) {
    return null;
  }
  const ids = Object.keys(history.series)
    .map(Number)
    .filter(id => Number.isInteger(id))
    .sort((a, b) => a - b);
  const columns = ids.map(id => {
    const s = history.series[String(id)];
    const out: (number | null)[] = new Array(n);
    for (let k = 0; k < n; k++) {
      const v = s[k] ?? null;
      out[k] = v !== null && v >= 0 ? v : null;
    }
    return out;
  });
  const capacity: (number | null)[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const c = history.capacity[k] ?? null;
    capacity[k] = c !== null && c > 0 ? c : null;
  }

  // Gaps: all-null samples (the server's markers), and long silences between samples.
  const maxGap = historyGap(history);
  const gap: boolean[] = new Array(n).fill(true);
  for (const col of columns) {
    for (let k = 0; k < n; k++) {
      if (col[k] !== null) {
        gap[k] = false;
      }
    }
  }
  const breakBefore = (k: number) =>
    k > 0 && maxGap !== undefined && times[k] - times[k - 1] > maxGap;

  // Stack totals and the scale.
  const totals = new Float64Array(n);
  for (const col of columns) {
    for (let k = 0; k < n; k++) {
      totals[k] += col[k] ?? 0;
    }
  }
  let maxValue = 1;
  for (let k = 0; k < n; k++) {
    maxValue = Math.max(maxValue, totals[k], capacity[k] ?? 0);
  }

  const t0 = times[0];
  const span = Math.max(times[n - 1] - t0, 1);
  const xs = times.map(t => round(((t - t0) / span) * CHART_WIDTH));
  const scale = maxValue * 1.08;
  const y = (v: number) => round(CHART_HEIGHT - (v / scale) * CHART_HEIGHT);
  // Coordinates as text, made once: 36,000 points print without a number conversion each.
  const xText = xs.map(x => `${x},`);
  const yText = Array.from({ length: CHART_HEIGHT + 1 }, (_, v) => String(v));
  const yt = (v: number) => yText[Math.max(0, Math.min(CHART_HEIGHT, y(v)))];

  // Runs of drawable samples: [start, end).
  const runs: [number, number][] = [];
  for (let k = 0; k < n; k++) {
    if (gap[k]) {
      continue;
    }
    const last = runs[runs.length - 1];
    if (last && last[1] === k && !breakBefore(k)) {
      last[1] = k + 1;
    } else {
      runs.push([k, k + 1]);
    }
  }
  // A lone sample is drawn one half poll either side, so that it shows.
  const interval = history.poll_interval ?? 0;
  const half =
    interval > 0 ? Math.max(0.5, ((interval / 2) * CHART_WIDTH) / span) : 0.5;

  const lower = new Float64Array(n);
  const layers: ITimelineLayer[] = columns.map((col, l) => {
    const parts: string[] = [];
    for (const [a, b] of runs) {
      let held = false;
      for (let k = a; k < b; k++) {
        held = held || (col[k] ?? 0) > 0;
      }
      if (!held) {
        continue;
      }
      if (b - a === 1) {
        const l = round(xs[a] - half);
        const r = round(xs[a] + half);
        const hi = y(lower[a] + (col[a] ?? 0));
        const lo = y(lower[a]);
        parts.push(`M${l},${hi}L${r},${hi}L${r},${lo}L${l},${lo}Z`);
        continue;
      }
      // A point between two at the same height adds nothing: executor counts are mostly flat.
      const points: string[] = [];
      const edge = (k: number, v: number, prev: number, next: number) => {
        if (k === a || k === b - 1 || v !== prev || v !== next) {
          points.push(xText[k] + yt(v));
        }
      };
      const top = (k: number) => lower[k] + (col[k] ?? 0);
      for (let k = a; k < b; k++) {
        edge(k, top(k), k > a ? top(k - 1) : -1, k < b - 1 ? top(k + 1) : -1);
      }
      for (let k = b - 1; k >= a; k--) {
        edge(
          k,
          lower[k],
          k < b - 1 ? lower[k + 1] : -1,
          k > a ? lower[k - 1] : -1
        );
      }
      parts.push(`M${points.join('L')}Z`);
    }
    for (let k = 0; k < n; k++) {
      lower[k] += col[k] ?? 0;
    }
    return {
      id: ids[l],
      color: ((ids[l] % PALETTE_SIZE) + PALETTE_SIZE) % PALETTE_SIZE,
      path: parts.join(''),
      values: col
    };
  });

  // The capacity: a line per run of known values, broken at gaps.
  const capParts: string[] = [];
  let open = false;
  for (let k = 0; k < n; k++) {
    const c = capacity[k];
    if (c === null || gap[k] || breakBefore(k)) {
      open = false;
      if (c === null || gap[k]) {
        continue;
      }
    }
    capParts.push(`${open ? 'L' : 'M'}${xs[k]},${y(c)}`);
    open = true;
  }

  // Starving: who, per sample, and the bands of samples where anyone was.
  const starvingAt: number[][] = Array.from({ length: n }, () => []);
  const starving = history.starving;
  for (const key of Object.keys(starving).sort((a, b) => +a - +b)) {
    const id = Number(key);
    if (!Number.isInteger(id)) {
      continue;
    }
    for (const r of starving[key]) {
      for (let k = Math.max(0, r[0]); k < Math.min(n, r[1]); k++) {
        starvingAt[k].push(id);
      }
    }
  }
  const starvingBands: [number, number][] = [];
  for (let k = 0; k < n; k++) {
    if (!starvingAt[k].length) {
      continue;
    }
    // A moment covers half the way to its neighbours (not across a gap).
    const left =
      k > 0 && !gap[k - 1] && !breakBefore(k)
        ? (xs[k - 1] + xs[k]) / 2
        : xs[k] - half;
    const right =
      k < n - 1 && !gap[k + 1] && !breakBefore(k + 1)
        ? (xs[k] + xs[k + 1]) / 2
        : xs[k] + half;
    const last = starvingBands[starvingBands.length - 1];
    if (last && Math.abs(last[0] + last[1] - left) <= 1) {
      last[1] = round(right - last[0]);
    } else {
      starvingBands.push([round(left), round(right - left)]);
    }
  }

  return {
    times,
    xs,
    gap,
    maxValue,
    scale,
    layers,
    capacity,
    capacityPath: capParts.join(''),
    starvingAt,
    starvingBands
  };
}

/**
 * The sample nearest to x (drawing units).
 */
export function sampleAt(geometry: ITimelineGeometry, x: number): number {
  const xs = geometry.xs;
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo > 0 && x - xs[lo - 1] < xs[lo] - x ? lo - 1 : lo;
}

/**
 * The session whose band is at height y (drawing units) at sample k, or null.
 */
export function layerAt(
  geometry: ITimelineGeometry,
  k: number,
  y: number
): number | null {
  if (geometry.gap[k]) {
    return null;
  }
  const value = ((CHART_HEIGHT - y) / CHART_HEIGHT) * geometry.scale;
  let lower = 0;
  for (const layer of geometry.layers) {
    const v = layer.values[k] ?? 0;
    if (v > 0 && value >= lower && value < lower + v) {
      return layer.id;
    }
    lower += v;
  }
  return null;
}
