/**
 * Geometry of the rows' sparklines: the samples of a time window and their
 * SVG polylines, broken at unknown values and at gaps. Pure.
 *
 * A poll redraws up to hundreds of sparklines over the same times, so the
 * work shared by all of them (which samples are in the window, their x, where
 * the gaps are) is done once, in a SparklineFrame, and each session's line is
 * then one pass over its values.
 */
import { History } from './snapshot';

/**
 * The size (px) of a row's sparkline.
 */
export const SPARKLINE_WIDTH = 72;
export const SPARKLINE_HEIGHT = 18;

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
 * The box a sparkline is drawn in, and the time window it shows.
 */
export interface ISparklineBox {
  width: number;
  height: number;
  /** The value drawn at the top (higher values are clipped to it). */
  max: number;
  /** Time at the left edge; the first sample's time when omitted. */
  start?: number;
  /** Time at the right edge; the last sample's time when omitted. */
  end?: number;
  /** Samples further apart than this are not joined (historyGap). */
  maxGap?: number;
}

/**
 * The samples of a window, shared by every series over the same times.
 */
export interface ISparklineFrame {
  /** The times the frame was made of (epoch seconds, ascending). */
  times: readonly number[];
  /** Time at the left edge, and the seconds that the width spans. */
  start: number;
  span: number;
  width: number;
  /** Index (in the times) of the first sample at or after the window's start. */
  first: number;
  /** The samples' times relative to the last one (seconds), from `first` on. */
  relative: number[];
  /** The x of each sample from `first` on, as SVG text. */
  x: string[];
  /** Whether a gap comes before each sample from `first` on. */
  gapBefore: boolean[];
  /** For y: the height and the value at the top. */
  height: number;
  max: number;
}

/**
 * The frame of a sparkline over `times` (ascending epoch seconds).
 */
export function sparklineFrame(
  times: readonly number[],
  box: ISparklineBox
): ISparklineFrame {
  const n = times.length;
  const t0 = box.start ?? (n ? times[0] : 0);
  const t1 = box.end ?? (n ? times[n - 1] : 0);
  const span = t1 - t0 || 1;
  const last = n ? times[n - 1] : 0;
  let first = 0;
  while (first < n && times[first] < t0) {
    first++;
  }
  // One sample and no start: drawn at the right edge.
  const alone = n - first === 1 && box.start === undefined;
  const relative: number[] = [];
  const x: string[] = [];
  const gapBefore: boolean[] = [];
  for (let i = first; i < n; i++) {
    const t = times[i];
    relative.push(t - last);
    x.push(Private.fixed1(alone ? box.width : ((t - t0) / span) * box.width));
    gapBefore.push(
      i > first && box.maxGap !== undefined && t - times[i - 1] > box.maxGap
    );
  }
  return {
    times,
    start: t0,
    span,
    width: box.width,
    first,
    relative,
    x,
    gapBefore,
    height: box.height,
    max: box.max > 0 ? box.max : 1
  };
}

/**
 * SVG polyline points (one string per run of known values without a gap) of
 * `values` (aligned with the frame's times) in the frame. A single point is
 * drawn as a short flat line so that it stays visible.
 */
export function sparklinePaths(
  frame: ISparklineFrame,
  values: readonly (number | null)[]
): string[] {
  const { first, x, gapBefore } = frame;
  const paths: string[] = [];
  let path = '';
  let points = 0;
  let lastValue = NaN;
  let y = '';
  const end = () => {
    if (points) {
      paths.push(points === 1 ? `${path} ${path}` : path);
    }
    path = '';
    points = 0;
  };
  for (let k = 0; k < x.length; k++) {
    const v = values[first + k] ?? null;
    if (gapBefore[k] || v === null) {
      end();
    }
    if (v === null) {
      continue;
    }
    // Consecutive samples often hold the same value: one y text for them.
    if (v !== lastValue) {
      lastValue = v;
      y = Private.yText(sparklineY(frame, v));
    }
    path = points ? `${path} ${x[k]},${y}` : `${x[k]},${y}`;
    points++;
  }
  end();
  return paths;
}

/**
 * The y of a value in a frame (0 at the bottom, `max` and above at the top).
 */
export function sparklineY(frame: ISparklineFrame, value: number): number {
  const { height, max } = frame;
  return height - 1 - (Math.min(value, max) / max) * (height - 2);
}

/**
 * Whether `values` draw one line over the whole window: every sample known,
 * no gap, at least two samples.
 */
export function isWholeLine(
  frame: ISparklineFrame,
  values: readonly (number | null)[]
): boolean {
  const { first, gapBefore } = frame;
  if (gapBefore.length < 2) {
    return false;
  }
  for (let k = 0; k < gapBefore.length; k++) {
    if (gapBefore[k] || (values[first + k] ?? null) === null) {
      return false;
    }
  }
  return true;
}

/**
 * Module-private helpers.
 */
namespace Private {
  /**
   * `value.toFixed(1)`, faster for the small non-negative numbers of
   * sparklines.
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
   * fixed1 of a y, remembered: lines take few distinct values. The cache is
   * dropped once it holds more than a few thousand.
   */
  export const yText = (() => {
    let cache = new Map<number, string>();
    return (value: number): string => {
      let text = cache.get(value);
      if (text === undefined) {
        if (cache.size >= 4096) {
          cache = new Map();
        }
        text = fixed1(value);
        cache.set(value, text);
      }
      return text;
    };
  })();
}
