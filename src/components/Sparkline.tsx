import * as React from 'react';

import { History, Session } from '../snapshot';
import {
  historyGap,
  ISparklineFrame,
  sparklineFrame,
  sparklinePaths
} from '../sparkline';
import { formatNumber, UNKNOWN } from '../text';

const WIDTH = 72;
const HEIGHT = 18;

/**
 * What a sparkline draws: computed once per history, and kept (same object)
 * while the drawing does not change, so that it is not written again.
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
  return { paths: sparklinePaths(frame, values), label, minutes };
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
      width: WIDTH,
      height: HEIGHT,
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
        if (data && old?.data && sameDrawing(old.data, data)) {
          data = old.data;
        }
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

/**
 * Draws the sessions' sparklines into their <svg> frames, outside React.
 *
 * Every poll can change all 200 lines at once; through React that was a row
 * render and a sparkline render per session. Instead a row renders only the
 * frame (Sparkline: label, <svg>, <title>, base line; the same elements for
 * as long as the row shows a sparkline), the frame attaches its <svg> here,
 * and `paint` (in the layout phase of each commit of the view, see
 * SparklinePaint) writes each drawing that changed: `aria-label`, the
 * <title> text, one <polyline points> per path.
 */
export class SparklinePainter {
  /**
   * Attach (or, with null, detach) the <svg> of a session's frame.
   */
  attach(id: number, svg: SVGSVGElement | null): void {
    if (svg) {
      this._targets.set(id, { svg, lines: [], drawn: null });
    } else {
      this._targets.delete(id);
    }
  }

  /**
   * Write into each attached frame its drawing, where it changed.
   */
  paint(drawings: ReadonlyMap<number, ISparklineData>): void {
    for (const [id, target] of this._targets) {
      const data = drawings.get(id) ?? null;
      if (data !== target.drawn) {
        drawSparkline(target.svg, target.lines, data, target.drawn);
        target.drawn = data;
      }
    }
  }

  private _targets = new Map<
    number,
    {
      svg: SVGSVGElement;
      lines: SVGPolylineElement[];
      drawn: ISparklineData | null;
    }
  >();
}

/**
 * Paints the sparklines after each commit of the view: a child of the view,
 * after the rows, so that its layout effect runs once the rows' frames are
 * attached, and before the view's own (which ends the update's measure).
 */
export function SparklinePaint(props: {
  painter: SparklinePainter;
  drawings: ReadonlyMap<number, ISparklineData>;
}): null {
  const { painter, drawings } = props;
  React.useLayoutEffect(() => painter.paint(drawings));
  return null;
}

/**
 * The frame of one session's sparkline over the last `minutes`; its line is
 * drawn by the painter.
 */
export const Sparkline = React.memo(function Sparkline(props: {
  id: number;
  minutes: number;
  painter: SparklinePainter;
}): JSX.Element {
  const { id, minutes, painter } = props;
  const attach = React.useCallback(
    (svg: SVGSVGElement | null) => painter.attach(id, svg),
    [painter, id]
  );
  return (
    <span className="jp-GlueSessions-spark">
      <span className="jp-GlueSessions-spark-label" aria-hidden="true">
        {Number.isFinite(minutes) ? formatNumber(minutes) : UNKNOWN} min
      </span>
      <svg
        ref={attach}
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
  );
});

/**
 * Write a sparkline's drawing into its <svg> (a <title>, the base <line>,
 * then the lines written here), changing only what differs from `before`
 * (what was drawn last, or null). No drawing: no label, no line.
 */
function drawSparkline(
  svg: SVGSVGElement,
  lines: SVGPolylineElement[],
  data: ISparklineData | null,
  before: ISparklineData | null
): void {
  const label = data?.label ?? '';
  if (!before || before.label !== label) {
    if (label) {
      svg.setAttribute('aria-label', label);
    } else {
      svg.removeAttribute('aria-label');
    }
    const title = svg.firstElementChild;
    const text = title?.firstChild;
    if (text && text.nodeType === Node.TEXT_NODE) {
      (text as Text).data = label;
    } else if (title) {
      title.textContent = label;
    }
  }
  const paths = data?.paths ?? [];
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
