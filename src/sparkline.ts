/**
 * Geometry of the rows' sparklines: a session's points over the history
 * window and their SVG polylines, broken at unknown values and at gaps. Pure.
 */
import { History } from './snapshot';

/**
 * The points of one session's sparkline: executors over the last `windowSeconds`
 * of the history, as [epoch seconds, executors or null].
 */
export function sparklineSeries(
  history: History | null,
  id: number,
  windowSeconds: number
): [number, number | null][] {
  const values = history?.series[String(id)];
  if (!history || !values) {
    return [];
  }
  const times = history.times;
  const n = Math.min(times.length, values.length);
  if (n === 0) {
    return [];
  }
  const last = times[n - 1];
  const out: [number, number | null][] = [];
  for (let i = 0; i < n; i++) {
    const t = times[i];
    if (t < last - windowSeconds) {
      continue;
    }
    out.push([t, values[i]]);
  }
  return out;
}

/**
 * Two history samples further apart than this (seconds) have unobserved time
 * between them (the server polled slowly, or Livy did not answer): no line
 * joins them. Undefined when the history does not tell its poll interval.
 */
export function historyGap(history: History | null): number | undefined {
  const interval = history?.poll_interval ?? null;
  return interval !== null && interval > 0 ? 2 * interval : undefined;
}

/**
 * SVG polyline paths (one per run of known values) for a sparkline of the given size.
 * A run also ends at a gap: two points further apart in time than `maxGap`.
 */
export function sparklinePaths(
  points: readonly [number, number | null][],
  width: number,
  height: number,
  maxValue: number,
  startTime?: number,
  endTime?: number,
  maxGap?: number
): string[] {
  if (!points.length) {
    return [];
  }
  const t0 = startTime ?? points[0][0];
  const t1 = endTime ?? points[points.length - 1][0];
  const span = t1 - t0 || 1;
  const top = maxValue > 0 ? maxValue : 1;
  const x = (t: number) =>
    points.length === 1 && startTime === undefined
      ? width
      : ((t - t0) / span) * width;
  const y = (v: number) => height - 1 - (Math.min(v, top) / top) * (height - 2);
  const paths: string[] = [];
  let current: string[] = [];
  let previous = NaN;
  for (const [t, v] of points) {
    const gap = maxGap !== undefined && t - previous > maxGap;
    previous = t;
    if (gap && current.length) {
      paths.push(current.join(' '));
      current = [];
    }
    if (v === null) {
      if (current.length) {
        paths.push(current.join(' '));
      }
      current = [];
      continue;
    }
    current.push(`${Private.xText(x(t))},${Private.yText(y(v))}`);
  }
  if (current.length) {
    paths.push(current.join(' '));
  }
  // A single point is drawn as a short flat line so that it stays visible.
  return paths.map(p => (p.includes(' ') ? p : `${p} ${p}`));
}

/**
 * Module-private helpers.
 */
namespace Private {
  /**
   * `value.toFixed(1)`, faster for the small non-negative numbers of
   * sparklines (hundreds of sessions times hundreds of points per poll).
   */
  export function fixed1(value: number): string {
    const scaled = value * 10;
    // Ties (x.x5) round as toFixed does: on the exact decimal value.
    if (
      !(value >= 0 && value < 1e6) ||
      Math.abs(scaled - Math.floor(scaled) - 0.5) < 1e-6
    ) {
      return value.toFixed(1);
    }
    const tenths = Math.round(scaled);
    return `${Math.floor(tenths / 10)}.${tenths % 10}`;
  }

  /**
   * fixed1 of sparkline coordinates, remembered: every session's line has the
   * same x (one per time of the window) and few distinct y (one per value).
   * Each cache is dropped once it holds more than a few windows' worth.
   */
  export const xText = remembered(fixed1);
  export const yText = remembered(fixed1);

  function remembered(
    format: (value: number) => string
  ): (value: number) => string {
    let cache = new Map<number, string>();
    return (value: number) => {
      let text = cache.get(value);
      if (text === undefined) {
        if (cache.size >= 4096) {
          cache = new Map();
        }
        text = format(value);
        cache.set(value, text);
      }
      return text;
    };
  }
}
