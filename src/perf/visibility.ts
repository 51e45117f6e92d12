import * as React from 'react';

import { Session } from '../snapshot';

/**
 * Which session rows are in view, for the view to update those first.
 *
 * With 200 sessions changing at once, updating every row in one go takes
 * more than a frame, though a sidebar shows about ten of them. The view
 * updates the rows in view with the new data at once, and the others just
 * after, in the background (React's deferred value, time-sliced): every row
 * stays in the DOM (find-in-page, the keyboard and screen readers see them
 * all), and none is behind by more than that background render.
 */
export class RowVisibility {
  constructor() {
    this._observer =
      typeof IntersectionObserver === 'function'
        ? new IntersectionObserver(entries => {
            for (const entry of entries) {
              const id = this._ids.get(entry.target);
              if (id !== undefined) {
                this._inView.set(id, entry.isIntersecting);
              }
            }
          })
        : null;
  }

  /**
   * Watch (or, with null, stop watching) the element of a session's row.
   */
  watch(id: number, element: Element | null): void {
    const before = this._elements.get(id);
    if (before && before !== element) {
      this._observer?.unobserve(before);
      this._ids.delete(before);
      this._elements.delete(id);
      this._inView.delete(id);
    }
    if (element && before !== element) {
      this._elements.set(id, element);
      this._ids.set(element, id);
      this._observer?.observe(element);
    }
  }

  /**
   * Whether the row of a session may be in view: true until the browser
   * said otherwise (a new row, or no IntersectionObserver).
   */
  inView(id: number): boolean {
    return this._inView.get(id) ?? true;
  }

  /**
   * Stop watching every row.
   */
  dispose(): void {
    this._observer?.disconnect();
    this._elements.clear();
    this._inView.clear();
  }

  private _observer: IntersectionObserver | null;
  private _elements = new Map<number, Element>();
  private _ids = new WeakMap<Element, number>();
  private _inView = new Map<number, boolean>();
}

/**
 * The rows' visibility, and the data each row shows: the rows in view show
 * `sessions` at once; while the background render is behind (`behind`), the
 * rows out of view keep the sessions of the last complete render (`rowData`).
 */
export interface IRowUpdate {
  visibility: RowVisibility;
  /** Whether rows out of view still show older data. */
  behind: boolean;
  /** The session a row shows now. */
  rowData: (session: Session) => Session;
}

/**
 * Update the rows in view first: one RowVisibility for the view's life, and
 * the deferred value that schedules the background render of the others.
 */
export function useRowUpdate(sessions: readonly Session[]): IRowUpdate {
  const visibility = React.useMemo(() => new RowVisibility(), []);
  React.useEffect(() => () => visibility.dispose(), [visibility]);
  const settled = React.useDeferredValue(sessions);
  const behind = settled !== sessions;
  const previous = React.useMemo(
    () => (behind ? new Map(settled.map(s => [s.id, s])) : null),
    [behind, settled]
  );
  const rowData = (s: Session): Session =>
    previous && !visibility.inView(s.id) ? (previous.get(s.id) ?? s) : s;
  return { visibility, behind, rowData };
}

/**
 * A ref callback that watches a row's element (RowVisibility.watch).
 */
export function useWatchedRow(
  visibility: RowVisibility,
  id: number
): (element: Element | null) => void {
  return React.useCallback(
    (element: Element | null) => visibility.watch(id, element),
    [visibility, id]
  );
}
