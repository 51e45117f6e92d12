import * as React from 'react';

import { isWholeLine, sparklinePaths, sparklineY } from '../sparkline';
import { ISparklineData } from './sparklines';
import { RowVisibility } from './visibility';

/**
 * Draws the sessions' sparklines into their <svg> frames, outside React.
 *
 * Every poll can change all 200 lines at once; through React that was a row
 * render and a sparkline render per session. Instead a row renders only the
 * frame (Sparkline: label, <svg>, <title>, base line; the same elements for
 * as long as the row shows a sparkline), the frame attaches its <svg> here,
 * and `paint` (in the layout phase of each commit of the view, see
 * SparklinePaint) writes each drawing that changed: `aria-label`, the
 * <title> text, one <polyline> per run of known values.
 *
 * A poll usually moves the window by one sample: the line keeps its points
 * and slides (slideSparkline), instead of being written and parsed again.
 */
export class SparklinePainter {
  /**
   * Attach (or, with null, detach) the <svg> of a session's frame.
   */
  attach(id: number, svg: SVGSVGElement | null): void {
    if (svg) {
      // Lines already in it (attached again) are kept and written again.
      this._targets.set(id, {
        svg,
        lines: Array.from(svg.querySelectorAll('polyline')),
        written: [],
        drawn: null,
        origin: 0
      });
    } else {
      this._targets.delete(id);
    }
  }

  /**
   * Write into each attached frame its drawing, where it changed; with
   * `only`, into the frames of the rows in view (the others are painted by
   * the background render that follows, see RowVisibility).
   */
  paint(
    drawings: ReadonlyMap<number, ISparklineData>,
    only: RowVisibility | null = null
  ): void {
    for (const [id, target] of this._targets) {
      const data = drawings.get(id) ?? null;
      if (data === target.drawn || (only && !only.inView(id))) {
        continue;
      }
      if (!data || !target.drawn || !slideSparkline(target, data)) {
        drawSparkline(target, data);
      }
      drawLabel(target.svg, data?.label ?? '', target.drawn?.label ?? null);
      target.drawn = data;
    }
  }

  private _targets = new Map<number, Private.ITarget>();
}

/**
 * Paints the sparklines after each commit of the view: a child of the view,
 * after the rows, so that its layout effect runs once the rows' frames are
 * attached, and before the view's own (which ends the update's measure).
 */
export function SparklinePaint(props: {
  painter: SparklinePainter;
  drawings: ReadonlyMap<number, ISparklineData>;
  /** Paint only the rows in view (the others' rows are behind). */
  only: RowVisibility | null;
}): null {
  const { painter, drawings, only } = props;
  React.useLayoutEffect(() => painter.paint(drawings, only));
  return null;
}

/**
 * Write a drawing into its <svg> (a <title>, the base <line>, then the lines
 * written here): one <polyline> per path, its points relative to the
 * window's start. No drawing: no line.
 */
function drawSparkline(
  target: Private.ITarget,
  data: ISparklineData | null
): void {
  const { svg, lines, written } = target;
  const paths = data ? sparklinePaths(data.frame, data.values) : [];
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
    } else if (written[i] !== paths[i]) {
      lines[i].setAttribute('points', paths[i]);
      lines[i].removeAttribute('transform');
    }
    written[i] = paths[i];
  }
  while (lines.length > paths.length) {
    lines.pop()!.remove();
  }
  written.length = paths.length;
  target.origin = 0;
}

/**
 * Slide a whole line drawn from `target.drawn` to `data` when the new window
 * is the old one moved forward in time (the same times and values where
 * they overlap, one line in both): drop the points that left the window,
 * append the new ones, move the line with a transform. Its points stay
 * relative to the start of the window it was first drawn in (`origin`
 * pixels to the left of this one's). False, drawing nothing, otherwise.
 */
function slideSparkline(
  target: Private.ITarget,
  data: ISparklineData
): boolean {
  const old = target.drawn!;
  const a = old.frame;
  const b = data.frame;
  const line = target.lines[0] as SVGPolylineElement | undefined;
  if (
    target.lines.length !== 1 ||
    !line?.points?.appendItem ||
    a.width !== b.width ||
    a.span !== b.span ||
    a.height !== b.height ||
    a.max !== b.max ||
    !isWholeLine(a, old.values) ||
    !isWholeLine(b, data.values)
  ) {
    return false;
  }
  // The old window's sample at the new window's start, then the overlap.
  const aLength = a.x.length;
  const bLength = b.x.length;
  let dropped = 0;
  while (dropped < aLength && a.times[a.first + dropped] < b.times[b.first]) {
    dropped++;
  }
  const kept = aLength - dropped;
  if (kept < 1 || kept > bLength) {
    return false;
  }
  for (let k = 0; k < kept; k++) {
    if (
      a.times[a.first + dropped + k] !== b.times[b.first + k] ||
      old.values[a.first + dropped + k] !== data.values[b.first + k]
    ) {
      return false;
    }
  }
  const shift = target.origin + ((b.start - a.start) / b.span) * b.width;
  // Far from where it was first drawn: write it again (float precision).
  if (shift > 1e4 || line.points.numberOfItems !== aLength) {
    return false;
  }
  const points = line.points;
  for (let k = 0; k < dropped; k++) {
    points.removeItem(0);
  }
  for (let k = kept; k < bLength; k++) {
    const i = b.first + k;
    const point = target.svg.createSVGPoint();
    point.x = shift + ((b.times[i] - b.start) / b.span) * b.width;
    point.y = sparklineY(b, data.values[i]!);
    points.appendItem(point);
  }
  line.setAttribute('transform', `translate(${-shift} 0)`);
  target.origin = shift;
  target.written[0] = '';
  return true;
}

/**
 * The drawing's label, as the <svg>'s aria-label and <title> text.
 */
function drawLabel(
  svg: SVGSVGElement,
  label: string,
  before: string | null
): void {
  if (label === before) {
    return;
  }
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

/**
 * Module-private helpers.
 */
namespace Private {
  /**
   * A sparkline's <svg>, its lines, what was drawn in it and how many pixels
   * left of the current window's start its points' x = 0 is.
   */
  export interface ITarget {
    svg: SVGSVGElement;
    lines: SVGPolylineElement[];
    /** The points text last written to each line ('' once it slid). */
    written: string[];
    drawn: ISparklineData | null;
    origin: number;
  }
}
