import * as React from 'react';

import { GlueSessionsModel } from '../model';

/**
 * User Timing measures of the panel (visible in the browser's performance
 * tools, and read by ui-tests/tests/perf.spec.ts):
 *
 * - `glue-sessions:update`: from the arrival of the response that changed the
 *   data (snapshot or history) to the commit of the panel's DOM;
 * - `glue-sessions:commit`: React's render and commit of that update (from the
 *   start of the view's render to its layout effect, children included);
 * - `glue-sessions:rerender`: the same for a render without new data (the
 *   clock, hovering, selection).
 *
 * Only the latest of each is kept in the timeline (a PerformanceObserver sees
 * them all), so that a panel open for days does not grow the buffer.
 */
export const MEASURES = {
  update: 'glue-sessions:update',
  commit: 'glue-sessions:commit',
  rerender: 'glue-sessions:rerender'
} as const;

/**
 * Measure the renders of the view. Call it first in the view's render.
 */
export function useRenderTiming(model: GlueSessionsModel): void {
  const start = Private.now();
  const seen = React.useRef<{ snapshot: unknown; history: unknown }>({
    snapshot: null,
    history: null
  });
  React.useLayoutEffect(() => {
    const end = Private.now();
    if (start === null || end === null) {
      return;
    }
    const snapshot = model.snapshot;
    const history = model.history;
    const fresh =
      snapshot !== seen.current.snapshot || history !== seen.current.history;
    seen.current = { snapshot, history };
    if (fresh && snapshot) {
      Private.measure(MEASURES.commit, start, end);
      const received = model.receivedAt;
      if (received !== null && received <= start) {
        Private.measure(MEASURES.update, received, end);
      }
    } else {
      Private.measure(MEASURES.rerender, start, end);
    }
  });
}

/**
 * Module-private helpers.
 */
namespace Private {
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
