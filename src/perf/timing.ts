import * as React from 'react';

import { GlueSessionsModel } from '../model';

/**
 * User Timing measures of the panel (visible in the browser's performance
 * tools, and read by ui-tests/tests/perf.spec.ts):
 *
 * - `glue-sessions:update`: from the arrival of the response that changed the
 *   data (snapshot or history) to the commit of the panel's DOM (the rows in
 *   view, the rest of the panel);
 * - `glue-sessions:commit`: React's render and commit of that update (from the
 *   start of the view's render to its layout effect, children included);
 * - `glue-sessions:settled`: from the same arrival to the commit of every row
 *   (those out of view are updated by a background render, RowVisibility);
 * - `glue-sessions:rerender`: the same as commit for a render without new
 *   data (the clock, hovering, selection).
 *
 * Only the latest of each is kept in the timeline (a PerformanceObserver sees
 * them all), so that a panel open for days does not grow the buffer.
 */
export const MEASURES = {
  update: 'glue-sessions:update',
  commit: 'glue-sessions:commit',
  settled: 'glue-sessions:settled',
  rerender: 'glue-sessions:rerender'
} as const;

/**
 * Measure the renders of the view. Call it in the view's render, before any
 * child renders; `settled` says that this render shows every row's data.
 */
export function useRenderTiming(
  model: GlueSessionsModel,
  settled: boolean
): void {
  const start = Private.now();
  const seen = React.useRef<Private.IData>({ snapshot: null, history: null });
  const seenSettled = React.useRef<Private.IData>({
    snapshot: null,
    history: null
  });
  React.useLayoutEffect(() => {
    const end = Private.now();
    if (start === null || end === null) {
      return;
    }
    const data = { snapshot: model.snapshot, history: model.history };
    const received = model.receivedAt;
    const fresh = !Private.same(data, seen.current);
    const settling = settled && !Private.same(data, seenSettled.current);
    seen.current = data;
    if (settled) {
      seenSettled.current = data;
    }
    if (!data.snapshot) {
      return;
    }
    if (fresh) {
      Private.measure(MEASURES.commit, start, end);
      if (received !== null && received <= start) {
        Private.measure(MEASURES.update, received, end);
      }
    }
    if (settling && received !== null && received <= end) {
      Private.measure(MEASURES.settled, received, end);
    }
    if (!fresh && !settling) {
      Private.measure(MEASURES.rerender, start, end);
    }
  });
}

/**
 * Module-private helpers.
 */
namespace Private {
  export interface IData {
    snapshot: unknown;
    history: unknown;
  }

  export function same(a: IData, b: IData): boolean {
    return a.snapshot === b.snapshot && a.history === b.history;
  }

  /**
   * performance.now(), or null where the User Timing API is missing.
   */
  export function now(): number | null {
    return typeof performance !== 'undefined' &&
      typeof performance.now === 'function' &&
      typeof performance.measure === 'function'
      ? performance.now()
      : null;
  }

  /**
   * Replace the measure `name` by one from `start` to `end`.
   */
  export function measure(name: string, start: number, end: number): void {
    try {
      performance.clearMeasures?.(name);
      performance.measure(name, { start, end });
    } catch {
      // An older User Timing API: no measure.
    }
  }
}
