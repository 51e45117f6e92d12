import * as React from 'react';

import { History, Session } from '../snapshot';
import {
  historyGap,
  ISparklineFrame,
  SPARKLINE_HEIGHT,
  SPARKLINE_WIDTH,
  sparklineFrame
} from '../sparkline';
import { formatNumber } from '../text';

/**
 * What a sparkline draws: made once per history, and kept (same object)
 * while the drawing does not change, so that it is not written again.
 */
export interface ISparklineData {
  /** The window, and the session's series (aligned with its times). */
  frame: ISparklineFrame;
  values: readonly (number | null)[];
  /** The accessible label (now and peak). */
  label: string;
}

/**
 * The drawing of one session's `values` (aligned with the frame's times), or
 * null when none of them is known.
 */
export function sparklineData(
  frame: ISparklineFrame,
  values: readonly (number | null)[],
  minutes: number
): ISparklineData | null {
  // The last known value and the peak, in one pass.
  let now: number | null = null;
  let peak = -Infinity;
  for (let i = frame.first; i < frame.first + frame.x.length; i++) {
    const v = values[i] ?? null;
    if (v !== null) {
      now = v;
      peak = v > peak ? v : peak;
    }
  }
  if (now === null) {
    return null;
  }
  const label = `Executors over the last ${formatNumber(minutes)} min: now ${formatNumber(
    now
  )}, peak ${formatNumber(peak)}`;
  return { frame, values, label };
}

/**
 * The sparklines of all sessions (by id) for a history.
 *
 * Each poll brings a new history (one more sample, the window one poll
 * later), yet most sessions draw the same line: when the window's times
 * relative to its end and a session's values in it are the same as last time,
 * the session keeps its ISparklineData object, without building the drawing.
 */
export function useSparklines(
  history: History | null,
  sessions: readonly Session[],
  max: number,
  minutes: number
): Map<number, ISparklineData> {
  const cache = React.useRef<Private.ICache | null>(null);
  return React.useMemo(() => {
    const out = new Map<number, ISparklineData>();
    const times = history?.times ?? [];
    if (!history || !times.length) {
      cache.current = null;
      return out;
    }
    const end = times[times.length - 1];
    const maxGap = historyGap(history);
    const frame = sparklineFrame(times, {
      width: SPARKLINE_WIDTH,
      height: SPARKLINE_HEIGHT,
      max,
      start: end - minutes * 60,
      end,
      maxGap
    });
    const previous = cache.current;
    const sameFrame =
      !!previous &&
      previous.maxGap === maxGap &&
      previous.max === max &&
      previous.minutes === minutes &&
      Private.sameNumbers(previous.frame.relative, frame.relative);
    const entries = new Map<number, Private.IEntry>();
    for (const s of sessions) {
      const values = history.series[String(s.id)];
      if (!values) {
        continue;
      }
      const old = previous?.entries.get(s.id);
      let data: ISparklineData | null;
      if (
        old &&
        sameFrame &&
        Private.sameWindow(old.values, previous!.frame, values, frame)
      ) {
        data = old.data;
      } else {
        data = sparklineData(frame, values, minutes);
      }
      entries.set(s.id, { values, data });
      if (data) {
        out.set(s.id, data);
      }
    }
    cache.current = { max, minutes, maxGap, frame, entries };
    return out;
  }, [history, sessions, max, minutes]);
}

/**
 * Module-private helpers.
 */
namespace Private {
  export interface IEntry {
    /** The session's whole series (the window is the frame's part of it). */
    values: readonly (number | null)[];
    data: ISparklineData | null;
  }

  export interface ICache {
    max: number;
    maxGap: number | undefined;
    minutes: number;
    frame: ISparklineFrame;
    entries: Map<number, IEntry>;
  }

  /**
   * Whether two series hold the same values in their frames' windows (frames
   * of the same length).
   */
  export function sameWindow(
    a: readonly (number | null)[],
    aFrame: ISparklineFrame,
    b: readonly (number | null)[],
    bFrame: ISparklineFrame
  ): boolean {
    for (let k = 0; k < bFrame.x.length; k++) {
      if (a[aFrame.first + k] !== b[bFrame.first + k]) {
        return false;
      }
    }
    return true;
  }

  export function sameNumbers(
    a: readonly number[],
    b: readonly number[]
  ): boolean {
    if (a.length !== b.length) {
      return false;
    }
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) {
        return false;
      }
    }
    return true;
  }
}
