import * as React from 'react';

import { History, Session } from '../snapshot';
import { historyGap, sparklinePaths, sparklineSeries } from '../sparkline';
import { formatNumber, UNKNOWN } from '../text';

const WIDTH = 72;
const HEIGHT = 18;

/**
 * What a sparkline draws: computed once per history, and kept (same object)
 * while the drawing does not change, so that rows do not re-render for it.
 */
export interface ISparklineData {
  /** SVG polyline points, one run of known values each. */
  paths: string[];
  /** The accessible label (now and peak). */
  label: string;
  /** Minutes shown. */
  minutes: number;
}

/**
 * The drawing of one session's executors over the last `minutes`, or null
 * when nothing is known.
 */
export function sparklineData(
  points: readonly [number, number | null][],
  max: number,
  minutes: number,
  maxGap?: number
): ISparklineData | null {
  // One pass (200 sessions per poll): the last known value and the peak.
  let known = 0;
  let now = 0;
  let peak = -Infinity;
  for (const p of points) {
    const v = p[1];
    if (v !== null) {
      known++;
      now = v;
      peak = v > peak ? v : peak;
    }
  }
  if (!known) {
    return null;
  }
  const end = points[points.length - 1][0];
  const paths = sparklinePaths(
    points,
    WIDTH,
    HEIGHT,
    max,
    end - minutes * 60,
    end,
    maxGap
  );
  const label = `Executors over the last ${formatNumber(minutes)} min: now ${formatNumber(
    now
  )}, peak ${formatNumber(peak)}`;
  return { paths, label, minutes };
}

/**
 * The sparklines of all sessions (by id) for a history.
 *
 * Each poll brings a new history (one more point, the window one poll
 * later), yet most sessions draw the same line: when the window's times
 * relative to its end and a session's values in it are the same as last time,
 * the session keeps its ISparklineData object (and its row is not rendered
 * again), without building the drawing.
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
    const window = history ? Private.window(history, minutes * 60) : null;
    if (!history || !window) {
      cache.current = null;
      return out;
    }
    const previous = cache.current;
    const maxGap = historyGap(history);
    const sameFrame =
      !!previous &&
      previous.maxGap === maxGap &&
      previous.max === max &&
      previous.minutes === minutes &&
      Private.sameNumbers(previous.relative, window.relative);
    const entries = new Map<number, Private.IEntry>();
    for (const s of sessions) {
      const series = history.series[String(s.id)];
      if (!series) {
        continue;
      }
      // A series not aligned with the times is drawn as sparklineSeries cuts it.
      const aligned = series.length === history.times.length;
      const values = aligned ? Private.values(series, window) : [NaN];
      const old =
        sameFrame && aligned ? previous!.entries.get(s.id) : undefined;
      let data: ISparklineData | null;
      if (old && Private.sameNumbers(old.values, values)) {
        data = old.data;
      } else {
        data = sparklineData(
          sparklineSeries(history, s.id, minutes * 60),
          max,
          minutes,
          maxGap
        );
        const before = previous?.entries.get(s.id)?.data;
        if (data && before && sameDrawing(before, data)) {
          data = before;
        }
      }
      entries.set(s.id, { values, data });
      if (data) {
        out.set(s.id, data);
      }
    }
    cache.current = {
      max,
      minutes,
      maxGap,
      relative: window.relative,
      entries
    };
    return out;
  }, [history, sessions, max, minutes]);
}

function sameDrawing(a: ISparklineData, b: ISparklineData): boolean {
  return (
    a.label === b.label &&
    a.minutes === b.minutes &&
    a.paths.length === b.paths.length &&
    a.paths.every((p, i) => p === b.paths[i])
  );
}

/**
 * Module-private helpers.
 */
namespace Private {
  export interface IEntry {
    values: (number | null)[];
    data: ISparklineData | null;
  }

  export interface ICache {
    max: number;
    maxGap: number | undefined;
    minutes: number;
    relative: number[];
    entries: Map<number, IEntry>;
  }

  /**
   * The indexes of the history's times inside the window (as sparklineSeries
   * picks them), and those times relative to the last one.
   */
  export function window(
    history: History,
    seconds: number
  ): { indexes: number[]; relative: number[] } | null {
    const times = history.times;
    if (!times.length) {
      return null;
    }
    const last = times[times.length - 1];
    const indexes: number[] = [];
    const relative: number[] = [];
    for (let i = 0; i < times.length; i++) {
      const t = times[i];
      if (t < last - seconds) {
        continue;
      }
      indexes.push(i);
      relative.push(t - last);
    }
    return { indexes, relative };
  }

  /**
   * A series' values at the window's indexes (null where unknown).
   */
  export function values(
    series: readonly (number | null)[],
    window: { indexes: number[] }
  ): (number | null)[] {
    return window.indexes.map(i => series[i]);
  }

  export function sameNumbers(
    a: readonly (number | null)[],
    b: readonly (number | null)[]
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

/**
 * A sparkline (SVG) of one session's executors over the last minutes.
 */
export const Sparkline = React.memo(function Sparkline(props: {
  data: ISparklineData;
}): JSX.Element {
  const { data } = props;
  const { minutes } = data;
  const svg = React.useRef<SVGSVGElement>(null);
  const drawn = React.useRef<ISparklineData | null>(null);
  const lines = React.useRef<SVGPolylineElement[]>([]);
  // Every poll can change all 200 lines at once: React renders the frame
  // (label, base line) once per `minutes` (the same element, so it is not
  // reconciled again), and the drawing is written to the DOM here: its label
  // (aria-label and <title>) and one <polyline> per path, after the base line,
  // as React wrote them before. Only what differs from the last drawing.
  React.useLayoutEffect(() => {
    if (svg.current) {
      drawSparkline(svg.current, lines.current, data, drawn.current);
      drawn.current = data;
    }
  }, [data]);
  return React.useMemo(
    () => (
      <span className="jp-GlueSessions-spark">
        <span className="jp-GlueSessions-spark-label" aria-hidden="true">
          {Number.isFinite(minutes) ? formatNumber(minutes) : UNKNOWN} min
        </span>
        <svg
          ref={svg}
          className="jp-GlueSessions-sparkline"
          width={WIDTH}
          height={HEIGHT}
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          role="img"
        >
          <title />
          <line
            className="jp-GlueSessions-sparkline-base"
            x1={0}
            x2={WIDTH}
            y1={HEIGHT - 0.5}
            y2={HEIGHT - 0.5}
          />
        </svg>
      </span>
    ),
    [minutes]
  );
});

/**
 * Write a sparkline's drawing into its <svg> (rendered by Sparkline: a
 * <title>, the base <line>, then the lines written here), changing only
 * what differs from `before` (what was drawn last, or null).
 */
function drawSparkline(
  svg: SVGSVGElement,
  lines: SVGPolylineElement[],
  data: ISparklineData,
  before: ISparklineData | null
): void {
  if (!before || before.label !== data.label) {
    svg.setAttribute('aria-label', data.label);
    const title = svg.firstElementChild;
    const text = title?.firstChild;
    if (text && text.nodeType === Node.TEXT_NODE) {
      (text as Text).data = data.label;
    } else if (title) {
      title.textContent = data.label;
    }
  }
  const paths = data.paths;
  for (let i = 0; i < paths.length; i++) {
    if (i >= lines.length) {
      const added = document.createElementNS(
        'http://www.w3.org/2000/svg',
        'polyline'
      );
      added.setAttribute('class', 'jp-GlueSessions-sparkline-line');
      added.setAttribute('points', paths[i]);
      svg.appendChild(added);
      lines.push(added);
    } else if (!before || before.paths[i] !== paths[i]) {
      lines[i].setAttribute('points', paths[i]);
    }
  }
  while (lines.length > paths.length) {
    lines.pop()!.remove();
  }
}
