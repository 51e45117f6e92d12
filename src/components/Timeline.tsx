import * as React from 'react';

import { describeOwner } from '../queries/sessions';
import { History, Session } from '../snapshot';
import { formatNumber } from '../words/text';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  ITimelineGeometry,
  layerAt,
  sampleAt,
  STRIP_GAP,
  STRIP_HEIGHT,
  timelineGeometry,
  VIEW_HEIGHT
} from '../geometry/timeline';

const OPEN_KEY = 'glue-sessions:timeline-open';

/**
 * Whether the chart's section is expanded, remembered across reloads.
 */
function useRememberedOpen(): [boolean, () => void] {
  const [open, setOpen] = React.useState<boolean>(() => {
    try {
      return window.localStorage.getItem(OPEN_KEY) === 'true';
    } catch {
      return false;
    }
  });
  const toggle = React.useCallback(() => {
    setOpen(o => {
      try {
        window.localStorage.setItem(OPEN_KEY, String(!o));
      } catch {
        // Private mode: remembered for this page only.
      }
      return !o;
    });
  }, []);
  return [open, toggle];
}

/** "10:03:25" in local time. */
function clock(t: number): string {
  const d = new Date(t * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * A session's palette colour as --gs-tl, which the layer and the swatch
 * paint with (style/timeline.css: --gs-tl-0 ... --gs-tl-7, per theme).
 */
function paletteColor(index: number): React.CSSProperties {
  return { '--gs-tl': `var(--gs-tl-${index})` } as React.CSSProperties;
}

/**
 * The bands, the capacity and the starving strip: drawn once per history and
 * selection, not per hover.
 */
const Drawing = React.memo(function Drawing(props: {
  geometry: ITimelineGeometry;
  selected: number | null;
}): JSX.Element {
  const { geometry, selected } = props;
  return (
    <g>
      {geometry.starvingBands.map(([x, w], i) => (
        <rect
          key={`s${i}`}
          className="jp-GlueSessions-tl-starvingBg"
          x={x}
          y={0}
          width={w}
          height={CHART_HEIGHT}
        />
      ))}
      {geometry.layers.map(l =>
        l.path ? (
          <path
            key={l.id}
            d={l.path}
            data-session-id={l.id}
            style={paletteColor(l.color)}
            className={
              'jp-GlueSessions-tl-layer' +
              (selected === null
                ? ''
                : selected === l.id
                  ? ' is-selected'
                  : ' is-dimmed')
            }
          />
        ) : null
      )}
      {geometry.capacityPath && (
        <path
          className="jp-GlueSessions-tl-capacity"
          d={geometry.capacityPath}
        />
      )}
      {geometry.starvingBands.map(([x, w], i) => (
        <rect
          key={`b${i}`}
          className="jp-GlueSessions-tl-starving"
          x={x}
          y={CHART_HEIGHT + STRIP_GAP}
          width={w}
          height={STRIP_HEIGHT}
        />
      ))}
    </g>
  );
});

/**
 * What was held at one moment, as text (names and owners come from the
 * endpoint: text only).
 */
function Readout(props: {
  geometry: ITimelineGeometry;
  k: number;
  names: Map<number, string>;
}): JSX.Element {
  const { geometry, k, names } = props;
  const name = (id: number) => names.get(id) ?? describeOwner(null, id);
  const held = geometry.layers
    .filter(l => l.values[k] !== null)
    .map(l => ({ id: l.id, color: l.color, v: l.values[k] as number }))
    .sort((a, b) => b.v - a.v || a.id - b.id);
  const cap = geometry.capacity[k];
  const starving = geometry.starvingAt[k];
  return (
    <div className="jp-GlueSessions-tl-readout" aria-live="polite">
      <div className="jp-GlueSessions-tl-readoutHead">
        {clock(geometry.times[k])}
        {geometry.gap[k]
          ? ' · not observed'
          : ` · capacity ${cap === null ? 'unknown' : formatNumber(cap)}`}
      </div>
      {!geometry.gap[k] && (
        <ul>
          {held.map(h => (
            <li key={h.id} data-session-id={h.id}>
              <span
                className="jp-GlueSessions-tl-swatch"
                style={paletteColor(h.color)}
              />
              {name(h.id)}: {formatNumber(h.v)}
            </li>
          ))}
          {starving.length > 0 && (
            <li className="jp-GlueSessions-tl-readoutStarving">
              Starving: {starving.map(name).join(', ')}
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

/**
 * The cluster over time: executors held per session over the history window,
 * stacked (by session id, one colour each), the capacity as a line, and the
 * moments when a session was starving as a hatched strip. Hover or the arrow
 * keys read a moment; a click on a band selects its session.
 */
export function Timeline(props: {
  history: History | null;
  sessions: readonly Session[];
  selected: number | null;
  onSelect: (id: number) => void;
}): JSX.Element | null {
  const { history, sessions, selected, onSelect } = props;
  const [open, toggle] = useRememberedOpen();
  const geometry = React.useMemo(
    () => (open ? timelineGeometry(history) : null),
    [open, history]
  );
  const names = React.useMemo(
    () => new Map(sessions.map(s => [s.id, describeOwner(s)])),
    [sessions]
  );
  const [moment, setMoment] = React.useState<number | null>(null);
  const svgRef = React.useRef<SVGSVGElement>(null);
  const n = geometry?.times.length ?? 0;
  const k = moment === null || moment >= n ? null : moment;

  const toChart = (e: React.MouseEvent): [number, number] => {
    const box = svgRef.current?.getBoundingClientRect();
    if (!box || !box.width || !box.height) {
      return [e.clientX, e.clientY];
    }
    return [
      ((e.clientX - box.left) / box.width) * CHART_WIDTH,
      ((e.clientY - box.top) / box.height) * VIEW_HEIGHT
    ];
  };
  const onMove = (e: React.MouseEvent) => {
    if (geometry) {
      setMoment(sampleAt(geometry, toChart(e)[0]));
    }
  };
  const onClick = (e: React.MouseEvent) => {
    if (!geometry) {
      return;
    }
    const [x, y] = toChart(e);
    const at = sampleAt(geometry, x);
    setMoment(at);
    const id = layerAt(geometry, at, y);
    if (id !== null) {
      onSelect(id);
    }
  };
  const onKey = (e: React.KeyboardEvent) => {
    if (!n) {
      return;
    }
    const step: { [key: string]: number } = {
      ArrowLeft: -1,
      ArrowRight: 1,
      PageUp: -12,
      PageDown: 12
    };
    let next: number | null = null;
    if (e.key in step) {
      next = Math.min(n - 1, Math.max(0, (k ?? n - 1) + step[e.key]));
    } else if (e.key === 'Home') {
      next = 0;
    } else if (e.key === 'End') {
      next = n - 1;
    } else if (e.key === 'Escape') {
      setMoment(null);
    } else {
      return;
    }
    e.preventDefault();
    if (next !== null) {
      setMoment(next);
    }
  };

  return (
    <section
      className="jp-GlueSessions-section jp-GlueSessions-timeline"
      aria-label="Cluster over time"
    >
      <h3 className="jp-GlueSessions-sectionTitle">
        <button
          type="button"
          className="jp-GlueSessions-tl-toggle"
          aria-expanded={open}
          onClick={toggle}
        >
          <span className="jp-GlueSessions-tl-caret" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          Cluster over time
        </button>
      </h3>
      {open && !geometry && (
        <div className="jp-GlueSessions-tl-empty">No history yet.</div>
      )}
      {open && geometry && (
        <>
          <svg
            ref={svgRef}
            className="jp-GlueSessions-tl-chart"
            viewBox={`0 0 ${CHART_WIDTH} ${VIEW_HEIGHT}`}
            preserveAspectRatio="none"
            role="img"
            tabIndex={0}
            aria-label="Executors held per session over time. Left and right arrows read a moment."
            onMouseMove={onMove}
            onMouseLeave={() => setMoment(null)}
            onClick={onClick}
            onKeyDown={onKey}
          >
            <Drawing geometry={geometry} selected={selected} />
            {k !== null && (
              <line
                className="jp-GlueSessions-tl-cursor"
                x1={geometry.xs[k]}
                x2={geometry.xs[k]}
                y1={0}
                y2={VIEW_HEIGHT}
              />
            )}
          </svg>
          <div className="jp-GlueSessions-tl-axis">
            <span>{clock(geometry.times[0])}</span>
            <span>0–{formatNumber(geometry.maxValue)} executors</span>
            <span>{clock(geometry.times[n - 1])}</span>
          </div>
          <div className="jp-GlueSessions-tl-legend">
            <span>
              <span className="jp-GlueSessions-tl-key jp-GlueSessions-tl-key-capacity" />
              capacity
            </span>
            <span>
              <span className="jp-GlueSessions-tl-key jp-GlueSessions-tl-key-starving" />
              someone starving
            </span>
          </div>
          {k !== null && <Readout geometry={geometry} k={k} names={names} />}
        </>
      )}
    </section>
  );
}
